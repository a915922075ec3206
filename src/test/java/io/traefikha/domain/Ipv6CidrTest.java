package io.traefikha.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv6CidrTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "fd00:1::100/64, fd00:0001:0000:0000:0000:0000:0000:0100",
            "::1/128, 0000:0000:0000:0000:0000:0000:0000:0001",
            "2001:db8:0:0:1:2:3:4/64, 2001:0db8:0000:0000:0001:0002:0003:0004",
            "fe80::/10, fe80:0000:0000:0000:0000:0000:0000:0000",
            "1::8/64, 0001:0000:0000:0000:0000:0000:0000:0008"})
    void parsesEveryShortForm(String cidr, String full) {
        assertThat(Ipv6Cidr.parse(cidr)).get().extracting(Ipv6Cidr::address)
                .isEqualTo(new BigInteger(full.replace(":", ""), 16));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fd00:::100/64", "fd00::1::100/64", "1:2:3:4:5:6:7:8:9/64", "1:2:3:4:5:6:7/64", "fd00:12345::1/64",
            "1:2:3:4::5:6:7:8/64", "fd00::100", "fd00::100/129", "192.168.1.100/24", "::ffff:192.168.1.1/96", ":1::/64"})
    void refusesWhatIsNoIpv6AddressWithPrefix(String cidr) {
        assertThat(Ipv6Cidr.parse(cidr)).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"fd00:1::100/64, ''", "fe80::1/64, link-local", "ff02::12/64, multicast", "::/64, unspecified",
            "fd00:1::100/128, prefix", "2001:db8::1/4, prefix"})
    void tellsWhatIsNoHostAddress(String cidr, String why) {
        assertThat(Ipv6Cidr.parse(cidr).orElseThrow().notAHost().orElse("")).contains(why);
    }

    @ParameterizedTest(name = "{0} and {1}: {2}")
    @CsvSource({"fd00:1::110/64, fd00:1::100/64, true", "fd00:2::110/64, fd00:1::100/64, false",
            "fd00:1:0:0:ffff::1/64, fd00:1::100/64, true", "fd00:1:0:1::1/64, fd00:1::100/64, false"})
    void comparesSubnets(String a, String b, boolean same) {
        assertThat(Ipv6Cidr.parse(a).orElseThrow().sameSubnet(Ipv6Cidr.parse(b).orElseThrow())).isEqualTo(same);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"FD00:0001:0000:0000:0000:0000:0000:0100, fd00:1::100", "fd00:0:0:1:0:0:0:1, fd00:0:0:1::1",
            "::1, ::1", "::, ::", "fd00::, fd00::", "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", "1:0:0:2:0:0:0:3, 1:0:0:2::3"})
    void writesTheCanonicalText(String text, String canonical) {
        assertThat(Ipv6Cidr.canonical(text)).contains(canonical);
    }

    @Test
    void hasNoCanonicalTextForWhatIsNoIpv6Address() {
        assertThat(Ipv6Cidr.canonical("192.168.1.1")).isEmpty();
        assertThat(Ipv6Cidr.canonical("AAAA")).isEmpty();
        assertThat(Ipv6Cidr.canonical("fd00::1/64")).isEmpty();
    }
}
