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
        assertThat(config.issuance().validityDays()).isEqualTo(365);
        assertThat(config.issuance().extendedKeyUsages()).containsExactly("clientAuth");
        assertThat(config.http().maxBodyBytes()).isEqualTo(65536);
        assertThat(config.http().cteHeader()).isTrue();
        assertThat(config.auth().enrollRole()).isEqualTo("est-client");
        assertThat(config.database().url()).startsWith("jdbc:hsqldb:file:" + dir.toAbsolutePath())
                .contains("hsqldb.write_delay=false");
        assertThat(config.csrAttrs()).isEmpty();
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws Exception {
        EstConfig config = load(Map.of("EST_ISSUANCE_VALIDITY_DAYS", "30", "EST_HOME", dir.toString()),
                "issuance.validity-days=90\nhttp.max-body-bytes=4096\n");
        assertThat(config.issuance().validityDays()).isEqualTo(30);
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
    void missingExternalFileFails() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("EST_CONFIG", "/nonexistent/est.properties"), k -> null)
                .load(null)).hasMessageContaining("/nonexistent/est.properties");
    }
}
