package io.traefikha.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.PrimaryChecks;
import io.traefikha.domain.PrimaryChecks.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preflight script's output as iputils' arping and /proc/1/status print it. */
class PrimaryCheckReportTest {

    @Test
    void readsWhoAnsweredWhatIsFreeAndTheCapabilities() {
        String stdout = String.join("\n",
                "arping=iputils",
                "capeff=000001fcfdfcffff",
                "addr 10.251.0.100 rc=1 mac=4a:1f:00:aa:bb:cc out=ARPING 10.251.0.100 from 0.0.0.0 eth0 Unicast reply from"
                        + " 10.251.0.100 [4A:1F:00:AA:BB:CC]  0.061ms Sent 1 probes (1 broadcast(s)) Received 1 response(s) ",
                "addr 10.251.0.11 rc=0 mac= out=ARPING 10.251.0.11 from 0.0.0.0 eth0 Sent 2 probes (2 broadcast(s))"
                        + " Received 0 response(s) ");
        PrimaryChecks checks = PrimaryCheckReport.parse(stdout, List.of("10.251.0.11", "10.251.0.100"));
        assertThat(checks.arpingInstalled()).isTrue();
        assertThat(checks.has(PrimaryChecks.CAP_NET_ADMIN)).isTrue();
        assertThat(checks.has(PrimaryChecks.CAP_NET_RAW)).isTrue();
        assertThat(checks.addresses()).extracting(p -> p.address() + " " + p.outcome() + " " + p.mac())
                .containsExactly("10.251.0.11 FREE null", "10.251.0.100 ANSWERED 4A:1F:00:AA:BB:CC");
    }

    @Test
    void anAddressOnThePrimaryAnErrorAndOneNotAnswered() {
        String stdout = String.join("\n", "arping=iputils", "capeff=0000000000000000",
                "addr 10.0.0.1 here",
                "addr 10.0.0.2 rc=2 mac= out=arping: unknown iface eth9 ");
        PrimaryChecks checks = PrimaryCheckReport.parse(stdout, List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"));
        assertThat(checks.has(PrimaryChecks.CAP_NET_ADMIN)).isFalse();
        assertThat(checks.addresses()).extracting(PrimaryChecks.AddressProbe::outcome)
                .containsExactly(Outcome.HELD_BY_PRIMARY, Outcome.ERROR, Outcome.ERROR);
        assertThat(checks.addresses().get(1).detail()).isEqualTo("arping exited 2: arping: unknown iface eth9");
    }

    @Test
    void anIpv6AddressIsReadFromNeighbourDiscoveryAndPing() {
        String stdout = String.join("\n", "arping=iputils", "capeff=000001fcfdfcffff",
                "addr fd00:1::100 rc=1 mac=4a:1f:00:aa:bb:cc out=PING fd00:1::100(fd00:1::100) from fd00:1::110 eth0: 56"
                        + " data bytes --- fd00:1::100 ping statistics --- 1 packets transmitted, 0 received, 100% packet loss ",
                "addr fd00:1::101 rc=0 mac= out=PING fd00:1::101(fd00:1::101) 1 packets transmitted, 0 received ",
                "addr fd00:2::1 rc=1 mac= out=PING fd00:2::1(fd00:2::1) 1 packets transmitted, 1 received ",
                "addr fd00:1::110 here",
                "addr fd00:9::1 rc=2 mac= out=ping: connect: Network is unreachable ");

        PrimaryChecks checks = PrimaryCheckReport.parse(stdout, List.of("fd00:1::100", "fd00:1::101", "fd00:2::1",
                "fd00:1::110", "fd00:9::1"));

        assertThat(checks.addresses()).extracting(p -> p.address() + " " + p.outcome() + " " + p.mac()).containsExactly(
                "fd00:1::100 ANSWERED 4A:1F:00:AA:BB:CC", "fd00:1::101 FREE null", "fd00:2::1 ANSWERED null",
                "fd00:1::110 HELD_BY_PRIMARY null", "fd00:9::1 ERROR null");
        assertThat(checks.addresses().get(4).detail()).isEqualTo("ping -6 (or curl) exited 2: ping: connect: Network is unreachable");
    }

    @Test
    void withoutArpingNothingIsProbed() {
        PrimaryChecks checks = PrimaryCheckReport.parse("arping=missing\ncapeff=garbage\n", List.of("10.0.0.1"));
        assertThat(checks.arpingInstalled()).isFalse();
        assertThat(checks.addresses()).isEmpty();
        assertThat(checks.capEff()).isNull();
    }
}
