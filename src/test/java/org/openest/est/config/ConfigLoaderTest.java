package org.openest.est.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private EstConfig load(Map<String, String> env, String fileText) throws Exception {
        Path file = null;
        if (fileText != null) {
            file = dir.resolve("est.properties");
            Files.writeString(file, fileText);
        }
        return new ConfigLoader(env, key -> null).load(file == null ? null : file.toString());
    }

    @Test
    void defaultsAreSensible() throws Exception {
        EstConfig config = load(Map.of("EST_HOME", dir.toString()), null);
        assertThat(config.home()).isEqualTo(dir.toAbsolutePath());
        assertThat(config.defaultProfile().issuance().validityDays()).isEqualTo(365);
        assertThat(config.defaultProfile().issuance().extendedKeyUsages()).containsExactly("clientAuth");
        assertThat(config.http().maxBodyBytes()).isEqualTo(65536);
        assertThat(config.defaultProfile().cteHeader()).isTrue();
        assertThat(config.auth().enrollRole()).isEqualTo("est-client");
        assertThat(config.database().url()).startsWith("jdbc:hsqldb:file:" + dir.toAbsolutePath())
                .contains("hsqldb.write_delay=false");
        assertThat(config.defaultProfile().csrAttrs()).isEmpty();
        assertThat(config.profiles()).hasSize(1);
        assertThat(config.defaultProfile().enroll().encoding()).isEqualTo(EstConfig.Encoding.BASE64);
        assertThat(config.http().concurrentEnrollments()).as("auto: eight per processor")
                .isEqualTo(8 * Runtime.getRuntime().availableProcessors());
        assertThat(config.http().enrollmentQueueSeconds()).isEqualTo(30);
    }

    @Test
    void concurrentEnrollmentsTakesANumberOrAuto() throws Exception {
        Map<String, String> env = Map.of("EST_HOME", dir.toString());
        assertThat(load(env, "http.concurrent-enrollments=0\n").http().concurrentEnrollments()).isZero();
        assertThat(load(env, "http.concurrent-enrollments=3\n").http().concurrentEnrollments()).isEqualTo(3);
        assertThat(load(env, "http.concurrent-enrollments=AUTO\n").http().concurrentEnrollments())
                .isEqualTo(8 * Runtime.getRuntime().availableProcessors());
        assertThatThrownBy(() -> load(env, "http.concurrent-enrollments=many\n"))
                .hasMessageContaining("http.concurrent-enrollments");
        assertThatThrownBy(() -> load(env, "http.enrollment-queue-seconds=0\n"))
                .hasMessageContaining("http.enrollment-queue-seconds");
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws Exception {
        EstConfig config = load(Map.of("EST_ISSUANCE_VALIDITY_DAYS", "30", "EST_HOME", dir.toString()),
                "issuance.validity-days=90\nhttp.max-body-bytes=4096\n");
        assertThat(config.defaultProfile().issuance().validityDays()).isEqualTo(30);
        assertThat(config.http().maxBodyBytes()).isEqualTo(4096);
    }

    @Test
    void unknownKeyFailsNamingIt() {
        assertThatThrownBy(() -> load(Map.of(), "issuance.valdity-days=90\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("issuance.valdity-days");
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of(), "issuance.validity-days=ninety\n"))
                .hasMessageContaining("issuance.validity-days");
        assertThatThrownBy(() -> load(Map.of(), "http.cte-header=yes\n")).hasMessageContaining("http.cte-header");
        assertThatThrownBy(() -> load(Map.of(), "issuance.ec-curves=P-192\n")).hasMessageContaining("P-192");
        assertThatThrownBy(() -> load(Map.of(), "issuance.rsa-min-bits=1024\n"))
                .hasMessageContaining("issuance.rsa-min-bits");
        assertThatThrownBy(() -> load(Map.of(), "ca.cert=/x.pem\n")).hasMessageContaining("ca.key");
        assertThatThrownBy(() -> load(Map.of(), "auth.ra-subject-pattern=(\n"))
                .hasMessageContaining("auth.ra-subject-pattern");
    }

    @Test
    void profilesOverrideGlobalSettingsAndBindLabels() throws Exception {
        EstConfig config = load(Map.of("EST_HOME", dir.toString()), String.join("\n",
                "profiles=iqe, lab", "issuance.validity-days=90",
                "profile.iqe.label=iqe", "profile.iqe.enroll.encoding=der", "profile.iqe.issuance.validity-days=365",
                "profile.iqe.enroll.approval=manual", "profile.lab.label=lab1", "profile.lab.enroll.duplicate=reject",
                "encoding.clients=iqe-gw=der;CN=IQE gateway,O=Hospital=der", ""));
        assertThat(config.profiles()).extracting(EstConfig.Profile::label).containsExactly("", "iqe", "lab1");
        EstConfig.Profile iqe = config.profiles().get(1);
        assertThat(iqe.enroll().encoding()).isEqualTo(EstConfig.Encoding.DER);
        assertThat(iqe.issuance().validityDays()).isEqualTo(365);
        assertThat(iqe.enroll().manualApproval()).isTrue();
        EstConfig.Profile lab = config.profiles().get(2);
        assertThat(lab.issuance().validityDays()).as("inherits the global value").isEqualTo(90);
        assertThat(lab.enroll().duplicate()).isEqualTo(EstConfig.Duplicate.REJECT);
        assertThat(config.auth().encodingByClient()).containsEntry("iqe-gw", EstConfig.Encoding.DER)
                .containsEntry("CN=IQE gateway,O=Hospital", EstConfig.Encoding.DER);
    }

    @Test
    void badLabelsAndProfileKeysFailNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of(), "profiles=x\nprofile.x.label=cacerts\n"))
                .hasMessageContaining("profile.x.label").hasMessageContaining("operation name");
        assertThatThrownBy(() -> load(Map.of(), "profiles=x\nprofile.x.label=a/b\n"))
                .hasMessageContaining("one URI segment");
        assertThatThrownBy(() -> load(Map.of(), "profiles=x\n"))
                .hasMessageContaining("profile.x.label is required");
        assertThatThrownBy(() -> load(Map.of(), "profiles=x,y\nprofile.x.label=a\nprofile.y.label=a\n"))
                .hasMessageContaining("used twice");
        assertThatThrownBy(() -> load(Map.of(), "profiles=x\nprofile.x.label=a\nprofile.x.http.realm=z\n"))
                .hasMessageContaining("profile.x.http.realm");
        assertThatThrownBy(() -> load(Map.of(), "profile.undeclared.label=a\n"))
                .hasMessageContaining("profile.undeclared.label");
        assertThatThrownBy(() -> load(Map.of(), "profiles=x\nprofile.x.label=a\nprofile.x.enroll.encoding=pem\n"))
                .hasMessageContaining("profile.x.enroll.encoding");
        assertThatThrownBy(() -> load(Map.of(), "profiles=x\nprofile.x.label=a\nprofile.x.ca=nosuch\n"))
                .hasMessageContaining("profile.x.ca");
    }

    @Test
    void missingExternalFileFails() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("EST_CONFIG", "/nonexistent/est.properties"), k -> null)
                .load(null)).hasMessageContaining("/nonexistent/est.properties");
    }

    @Test
    void limitsAndProxiesHaveDefaultsAndAreValidated() throws Exception {
        EstConfig config = load(Map.of("EST_HOME", dir.toString()), null);
        assertThat(config.limits().maxFailuresPerUser()).isEqualTo(10);
        assertThat(config.limits().maxFailuresPerIp()).isEqualTo(10);
        assertThat(config.limits().failureWindow()).hasSeconds(300);
        assertThat(config.limits().lockout()).hasSeconds(300);
        assertThat(config.limits().enrollmentsPerMinute()).isZero();
        assertThat(config.http().trustedProxies()).isEmpty();
        assertThat(config.http().drainSeconds()).isEqualTo(10);
        EstConfig custom = load(Map.of("EST_HOME", dir.toString()),
                "http.trusted-proxies=10.0.0.5, fd00::/8\nauth.max-failures=0\n");
        assertThat(custom.http().trustedProxies()).containsExactly("10.0.0.5", "fd00::/8");
        assertThat(custom.limits().maxFailuresPerUser()).isZero();
        assertThatThrownBy(() -> load(Map.of(), "auth.lockout-seconds=0\n"))
                .hasMessageContaining("auth.lockout-seconds");
        assertThatThrownBy(() -> load(Map.of(), "auth.max-failures=-1\n")).hasMessageContaining("auth.max-failures");
    }
}
