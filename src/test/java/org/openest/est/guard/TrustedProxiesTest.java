package org.openest.est.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.5", "10.1.0.0/16", "fd00::/8"));

    @Test
    void trustsOnlyTheConfiguredRanges() {
        assertThat(proxies.trusts("10.0.0.5")).isTrue();
        assertThat(proxies.trusts("10.1.200.3")).isTrue();
        assertThat(proxies.trusts("fd00::7")).isTrue();
        assertThat(proxies.trusts("10.0.0.6")).isFalse();
        assertThat(TrustedProxies.parse(List.of()).trusts("127.0.0.1")).isFalse();
        assertThat(TrustedProxies.parse(List.of()).isEmpty()).isTrue();
    }

    @Test
    void clientAddressIsThePeerUnlessThePeerIsTrusted() {
        assertThat(proxies.clientAddress("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
        assertThat(proxies.clientAddress("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
        assertThat(proxies.clientAddress("10.0.0.5", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
    }

    @Test
    void clientAddressSkipsTrustedHopsAndNeverBelievesWhatTheClientWrote() {
        // The client wrote "1.2.3.4" itself; the proxy appended the real address 198.51.100.1.
        assertThat(proxies.clientAddress("10.0.0.5", List.of("1.2.3.4, 198.51.100.1"))).isEqualTo("198.51.100.1");
        // Two proxies in a row, across two header lines.
        assertThat(proxies.clientAddress("10.0.0.5", List.of("1.2.3.4, 198.51.100.1", "10.1.0.9")))
                .isEqualTo("198.51.100.1");
        // Junk stops the walk at the last trusted hop.
        assertThat(proxies.clientAddress("10.0.0.5", List.of("unknown"))).isEqualTo("10.0.0.5");
        assertThat(proxies.clientAddress("10.0.0.5", List.of("198.51.100.1, junk, 10.1.0.9")))
                .isEqualTo("10.1.0.9");
    }

    @Test
    void aBadEntryNamesItself() {
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.1", "lb.example.org")))
                .hasMessageContaining("lb.example.org");
    }
}
