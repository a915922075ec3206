package io.traefikha.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.FirewallAddress.Match;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Address specs as Proxmox firewall rules and IP sets write them, for both families. */
class FirewallAddressTest {

    @ParameterizedTest(name = "{1} in ''{0}'': {2}")
    @CsvSource(delimiter = ';', value = {
            "192.168.1.0/24; 192.168.1.111; YES",
            "192.168.1.100-192.168.1.120; 192.168.1.111; YES",
            "192.168.2.0/24; 192.168.1.111; NO",
            "fd00:1::/64; 192.168.1.111; NO",
            "+lan; 192.168.1.111; UNKNOWN",
            "fd00:1::/64; fd00:1::111; YES",
            "fd00:1::111; fd00:1::111; YES",
            "fd00:1:0:0::111/128; fd00:1::111; YES",
            "fd00:2::/64; fd00:1::111; NO",
            "192.168.1.0/24; fd00:1::111; NO",
            "192.168.1.0/24,fd00:1::/48; fd00:1::111; YES",
            "fd00:1::1-fd00:1::ffff; fd00:1::111; UNKNOWN",
            "lan6; fd00:1::111; UNKNOWN",
            "+lan6; fd00:1::111; UNKNOWN"})
    void decidesWhatTheTextDecides(String spec, String address, Match expected) {
        assertThat(FirewallAddress.contains(spec, address)).isEqualTo(expected);
    }
}
