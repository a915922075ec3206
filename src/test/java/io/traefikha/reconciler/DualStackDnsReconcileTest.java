package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.dns.AdGuardHomeProvider;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.adguard.Rewrite;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dual-stack VIP through the whole reconcile chain with the seed's names on the AdGuard Home simulator: the moved
 * names answer the IPv6 VIP in AAAA too, an AAAA answer at the primary's IPv6 address the probe reports (not in the
 * spec, e.g. SLAAC) is the primary's and moved, DNS holds while the families are split, and removing the IPv6 VIP from
 * the spec gives every AAAA answer back.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class DualStackDnsReconcileTest {

    private static final Duration PERIOD = Duration.ofSeconds(15);
    private static final String FQDN = "." + HomelabPreset.DOMAIN;
    private static final String TRAEFIK = "traefik" + FQDN;
    private static final String MEMOS = "memos" + FQDN;
    private static final String VIP6 = "fd00:1::100";
    /** The primary's SLAAC address (only its probe knows it), canonical as the probe reports it. */
    private static final String SLAAC = "fd00:1::be24:11ff:fe00:110";
    /** The same address as someone typed it into AdGuard Home. */
    private static final String SLAAC_AS_TYPED = "fd00:1:0:0:be24:11ff:fe00:110";

    private final FakeProxmox proxmox = new FakeProxmox();
    private final SimulatedNodes nodes = new SimulatedNodes();
    private final MemoryStateStore state = new MemoryStateStore();
    private final FixedConnections.MemoryRegistry registry = new FixedConnections.MemoryRegistry();
    private final RecordingEvents events = new RecordingEvents();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T02:00:00Z"));
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events,
            new ReconcileMetrics(new SimpleMeterRegistry()), clock, Duration.ofSeconds(5));
    private AdGuardHomeSimulator adguard;
    private TraefikHACluster resource;

    @BeforeEach
    void start() {
        adguard = AdGuardHomeSimulator.builder().user("admin", "pw").rewrites(HomelabPreset.rewrites()).start();
        adguard.addRewrite(new Rewrite(TRAEFIK, SLAAC_AS_TYPED));
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid(UUID.randomUUID().toString());
        resource.getMetadata().setGeneration(1L);
        resource.getSpec().dns.adguard.url = adguard.url();
        resource.getSpec().dns.soakTime = "1h";
        resource.getSpec().vip.addresses = List.of(resource.getSpec().vip.address, VIP6 + "/64");
        resource.getSpec().primary.address6 = "fd00:1::110/64";
        resource.getSpec().secondary.address6 = "fd00:1::111/64";
        nodes.dualStack(VIP6);
        nodes.nodes.get(Role.PRIMARY).ipv6Addresses.add(SLAAC);
    }

    @AfterEach
    void stop() {
        adguard.close();
    }

    @Test
    void everyMovedNameAnswersTheIpv6VipAndRemovingItGivesTheAaaaAnswersBack() {
        reconcileUntil("pilot live", r -> r.getStatus().dns != null && "pilot".equals(r.getStatus().dns.livePhase));
        assertThat(adguard.query(TRAEFIK, "A")).contains(List.of(HomelabPreset.VIP_ADDRESS));
        assertThat(adguard.query(TRAEFIK, "AAAA")).as("moved from the primary's SLAAC address").contains(List.of(VIP6));
        assertThat(registry.saved.previousAaaaAnswers()).containsEntry(TRAEFIK, List.of(SLAAC));
        assertThat(adguard.query(MEMOS, "AAAA")).as("group apps waits, in AAAA too").contains(List.of());

        // The families split: the pair is not Ready and no further group moves, in A or AAAA.
        resource.getSpec().dns.soakTime = "0s";
        nodes.nodes.get(Role.SECONDARY).ipv6Addresses.add(VIP6);
        reconcile();
        reconcile();
        assertThat(resource.getStatus().condition(ConditionTypes.IPV6_VIP_HELD).status).isEqualTo(Condition.FALSE);
        assertThat(resource.getStatus().condition(ConditionTypes.DNS_READY).message).contains("the cluster to be Ready");
        assertThat(adguard.query(MEMOS, "A")).contains(List.of(HomelabPreset.PRIMARY_ADDRESS));
        nodes.nodes.get(Role.SECONDARY).ipv6Addresses.clear();

        reconcileUntil("every name in place", r -> r.getStatus().condition(ConditionTypes.DNS_READY) != null
                && Condition.TRUE.equals(r.getStatus().condition(ConditionTypes.DNS_READY).status));
        int names = resource.getStatus().dns.wanted;
        assertThat(resource.getStatus().dns.aaaa.inPlace).isEqualTo(names);
        assertThat(resource.getStatus().condition(ConditionTypes.DNS_READY).message)
                .isEqualTo("all " + names + " names resolve to the VIP, and in AAAA to " + VIP6);
        assertThat(adguard.query(MEMOS, "AAAA")).contains(List.of(VIP6));

        resource.getSpec().vip.addresses = null;
        resource.getSpec().primary.address6 = null;
        resource.getSpec().secondary.address6 = null;
        resource.getMetadata().setGeneration(2L);
        reconcile();

        assertThat(adguard.query(TRAEFIK, "AAAA")).as("the primary's again, in the canonical text").contains(List.of(SLAAC));
        assertThat(adguard.query(MEMOS, "AAAA")).as("no AAAA answer again").contains(List.of());
        assertThat(adguard.query(MEMOS, "A")).contains(List.of(HomelabPreset.VIP_ADDRESS));
        assertThat(registry.saved.previousAaaaAnswers()).isEmpty();
        assertThat(resource.getStatus().dns.aaaa).isNull();
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("DNSChanged")).extracting(e -> e.message())
                .contains(TRAEFIK + " AAAA: [" + VIP6 + "] -> [" + SLAAC + "] (REVERT)");
    }

    private void reconcileUntil(String what, Predicate<TraefikHACluster> done) {
        Rounds.until(60, what, this::reconcile, () -> resource, done);
    }

    private void reconcile() {
        clock.advance(PERIOD);
        FixedConnections connections = new FixedConnections(proxmox, nodes, InMemoryChainTest.FILES,
                Optional.of(new AdGuardHomeProvider(adguard.url(), "admin", "pw", Duration.ofSeconds(5))), registry)
                .with(state);
        Rounds.run(reconciliation, resource, connections, PERIOD, clock);
    }
}
