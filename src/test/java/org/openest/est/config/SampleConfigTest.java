package org.openest.est.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The shipped sample configuration (tomcat-conf/est.properties) loads and defines the iqe profile as documented. */
class SampleConfigTest {
    @Test
    void iqeProfileIsDerWithBootstrapAndBothAuthMethods() {
        EstConfig config = new ConfigLoader(Map.of("EST_HOME", "target/sample-home"), key -> null)
                .load("tomcat-conf/est.properties");
        EstConfig.Profile iqe = config.profiles().stream().filter(p -> p.name().equals("iqe")).findFirst()
                .orElseThrow();
        assertThat(iqe.label()).isEqualTo("iqe");
        assertThat(iqe.enroll().encoding()).isEqualTo(EstConfig.Encoding.DER);
        assertThat(iqe.enroll().certificateAuth()).isTrue();
        assertThat(iqe.enroll().passwordAuth()).isTrue();
        assertThat(iqe.enroll().bootstrap()).isTrue();
        assertThat(iqe.issuance().extendedKeyUsages()).containsExactly("clientAuth");
        assertThat(iqe.issuance().validityDays()).isEqualTo(365);
        assertThat(config.bootstrapProfile()).hasValue("iqe");
    }
}
