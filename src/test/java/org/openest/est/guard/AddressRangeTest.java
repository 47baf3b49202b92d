package org.openest.est.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.255.1.2, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "192.168.1.0/24, 192.168.1.255, true",
        "192.168.1.0/24, 192.168.2.1, false",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "10.1.2.3/8, 10.9.9.9, true",
        "127.0.0.1, 127.0.0.1, true",
        "127.0.0.1, 127.0.0.2, false",
        "127.0.0.1/32, 127.0.0.1, true",
        "0.0.0.0/0, 203.0.113.9, true",
        "0.0.0.0/0, ::1, false",
        "10.0.0.0/8, ::ffff:10.1.2.3, true",
        "10.0.0.0/8, [::ffff:10.1.2.3], true",
        "2001:db8::/32, 2001:db8:1::5, true",
        "2001:db8::/32, 2001:db9::5, false",
        "2001:db8::/33, 2001:db8:7fff::1, true",
        "2001:db8::/33, 2001:db8:8000::1, false",
        "fd00::/8, fdab:cd::1, true",
        "fd00::/8, fe80::1, false",
        "::1, 0:0:0:0:0:0:0:1, true",
        "::1, [::1], true",
        "fe80::/10, fe80::1%eth0, true",
        "::/0, 10.0.0.1, false",
        "::ffff:10.0.0.0/104, 10.20.30.40, true",
        "10.0.0.0/8, not-an-address, false",
        "10.0.0.0/8, 10.0.0.256, false",
        "10.0.0.0/8, '', false",
    })
    void matches(String range, String address, boolean expected) {
        assertThat(AddressRange.parse(range).contains(address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.org", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/",
        "10.0.0/8", "1.2.3.4.5", "256.0.0.1", "2001:db8::g", "10.0.0.0/8/8"})
    void refusesWhatIsNotALiteralRange(String text) {
        assertThatThrownBy(() -> AddressRange.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
