package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.ServedNameStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.dns.AdGuardHomeProvider;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.node.SimulatedNames;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcile chain with the seed's 26 names on the AdGuard Home simulator and in-memory nodes whose names a test
 * breaks: each moved name checked through the VIP (status.served, CertificatesValid, the gauges), and the DNS soak that
 * moves on that evidence only (DNSSoakReset, status.dns.soakHeldBy). Rounds a period apart on a clock the test moves.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class ServedNamesReconcileTest {

    private static final Duration PERIOD = Duration.ofSeconds(15);
    private static final String FQDN = "." + HomelabPreset.DOMAIN;
    private static final String TRAEFIK = "traefik" + FQDN;

    private final FakeProxmox proxmox = new FakeProxmox();
    private final SimulatedNodes nodes = new SimulatedNodes();
    private final MemoryStateStore state = new MemoryStateStore();
    private final FixedConnections.MemoryRegistry registry = new FixedConnections.MemoryRegistry();
    private final RecordingEvents events = new RecordingEvents();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T02:00:00Z"));
    private final ClusterReconciliation reconciliation = new ClusterReconciliation(events, new ReconcileMetrics(meters),
            clock, Duration.ofSeconds(5));
    /** Every name the simulated VIP was asked, in order. */
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private AdGuardHomeSimulator adguard;
    private TraefikHACluster resource;

    @BeforeEach
    void start() {
        adguard = AdGuardHomeSimulator.builder().user("admin", "pw").rewrites(HomelabPreset.rewrites()).start();
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid(UUID.randomUUID().toString());
        resource.getMetadata().setGeneration(1L);
        resource.getSpec().dns.adguard.url = adguard.url();
        resource.getSpec().dns.soakTime = "1h";
        nodes.names.onCheck(asked::add);
    }

    @AfterEach
    void stop() {
        adguard.close();
    }

    @Test
    void aMovedNameThatStopsAnsweringStartsTheSoakAgainAndHoldsTheNextGroupUntilItAnswers() {
        reconcileUntil("pilot live", r -> r.getStatus().dns != null && "pilot".equals(r.getStatus().dns.livePhase));
        reconcile();
        ServedNameStatus traefik = served(TRAEFIK);
        assertThat(traefik.served).isTrue();
        assertThat(traefik.issuer).isEqualTo(SimulatedNames.ISSUER);
        assertThat(traefik.notAfter).isNotNull();
        assertThat(traefik.checkedAt).isEqualTo(clock.instant().toString());
        assertThat(resource.getStatus().served).as("only the moved names").hasSize(1);
        assertThat(condition(ConditionTypes.CERTIFICATES_VALID).status).isEqualTo(Condition.TRUE);
        assertThat(condition(ConditionTypes.CERTIFICATES_VALID).message).contains("soonest expiry", TRAEFIK);
        assertThat(gauge("traefikha.name.served", TRAEFIK)).isEqualTo(1.0);
        assertThat(gauge("traefikha.certificate.expiry.seconds", TRAEFIK))
                .isEqualTo(Instant.parse(traefik.notAfter).getEpochSecond());

        nodes.names.breakName(TRAEFIK);
        reconcile();
        Instant failedAt = clock.instant();
        assertThat(served(TRAEFIK).served).isFalse();
        assertThat(served(TRAEFIK).error).startsWith("TLS handshake failed");
        assertThat(resource.getStatus().dns.soakHeldBy).containsExactly(TRAEFIK);
        assertThat(resource.getStatus().dns.livePhaseSince).isEqualTo(failedAt.toString());
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("NameNotServed")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains(TRAEFIK, "TLS handshake failed"));
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("DNSSoakReset")).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("the soak of group pilot starts again and group apps"
                        + " waits: not answering through the VIP: " + TRAEFIK));
        assertThat(condition(ConditionTypes.DNS_READY).message).contains(TRAEFIK + " to answer through the VIP");
        assertThat(gauge("traefikha.name.served", TRAEFIK)).isEqualTo(0.0);
        assertThat(resource.getStatus().phase).as("a name that does not answer is not the pair's health")
                .isEqualTo(ClusterPhase.Ready);

        int checksBefore = asked.size();
        for (int i = 0; i < 4 * 60; i++) { // an hour, longer than the soak from before the failure
            reconcile();
        }
        assertThat(asked.size() - checksBefore).as("asked again every round while it does not answer")
                .isEqualTo(4 * 60);
        assertThat(adguard.answersOf("memos" + FQDN)).as("apps waits").containsExactly(HomelabPreset.PRIMARY_ADDRESS);
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("DNSSoakReset")).as("once, not every round")
                .hasSize(1);
        Instant lastFailure = clock.instant();

        nodes.names.fixAll();
        reconcile();
        assertThat(served(TRAEFIK).served).isTrue();
        assertThat(resource.getStatus().dns.soakHeldBy).isNull();
        assertThat(resource.getStatus().dns.livePhaseSince).as("the soak counts from the last failure")
                .isEqualTo(lastFailure.toString());
        assertThat(events.recorded).filteredOn(e -> e.reason().equals("DNSSoakCounting")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("group pilot counts from " + lastFailure));
        while (clock.instant().plus(PERIOD).isBefore(lastFailure.plus(Duration.ofHours(1)))) {
            reconcile();
        }
        assertThat(adguard.answersOf("memos" + FQDN)).as("not before the soak").containsExactly(HomelabPreset.PRIMARY_ADDRESS);
        reconcile();
        reconcile();
        assertThat(adguard.answersOf("memos" + FQDN)).as("soaked since the last failure")
                .containsExactly(HomelabPreset.VIP_ADDRESS);
    }

    @Test
    void withoutAnHttpsEntryPointNamesAreNotAskedAndTheSoakDoesNotWaitForThem() {
        resource.getSpec().vip.httpsPort = 0;
        nodes.names.breakName(TRAEFIK);
        reconcileUntil("pilot live", r -> r.getStatus().dns != null && "pilot".equals(r.getStatus().dns.livePhase));
        reconcile();
        assertThat(asked).as("no name is asked").isEmpty();
        assertThat(resource.getStatus().served).isNull();
        assertThat(resource.getStatus().dns.soakHeldBy).isNull();
        assertThat(condition(ConditionTypes.CERTIFICATES_VALID).message).contains("spec.vip.httpsPort is 0");
    }

    @Test
    void anExpiredCertificateIsCertificatesValidFalseAndLeavesReadyAndTheMigrationAlone() {
        reconcileUntil("pilot live", r -> r.getStatus().dns != null && "pilot".equals(r.getStatus().dns.livePhase));
        nodes.names.expireCertificate(TRAEFIK);
        clock.advance(PERIOD.multipliedBy(4)); // due again
        reconcile();
        assertThat(served(TRAEFIK).served).as("an expired certificate is still an answer").isTrue();
        assertThat(served(TRAEFIK).certificateProblem).startsWith("expired ");
        Condition certificates = condition(ConditionTypes.CERTIFICATES_VALID);
        assertThat(certificates.status).isEqualTo(Condition.FALSE);
        assertThat(certificates.reason).isEqualTo("Invalid");
        assertThat(certificates.message).contains(TRAEFIK + ": expired ");
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(resource.getStatus().dns.soakHeldBy).isNull();
    }

    /**
     * The seed's 26 names all moved (no soak), then a steady state: the requests each round makes, and that every
     * name is seen at least every four periods. Prints the counts.
     */
    @Test
    void twentySixMovedNamesCostAQuarterOfTheNamesEachPeriod() {
        resource.getSpec().dns.soakTime = "0s";
        reconcileUntil("all 26 names at the VIP", r -> r.getStatus().dns != null && r.getStatus().dns.nextPhase == null
                && r.getStatus().served != null && r.getStatus().served.size() == 26);
        for (int i = 0; i < 8; i++) {
            reconcile(); // the names the last groups' first checks left due settle into the sweep
        }
        Map<String, List<Integer>> seenInRound = new HashMap<>();
        List<Integer> perRound = new ArrayList<>();
        for (int round = 0; round < 16; round++) {
            int before = asked.size();
            reconcile();
            List<String> thisRound = asked.subList(before, asked.size());
            perRound.add(thisRound.size());
            for (String name : thisRound) {
                seenInRound.computeIfAbsent(name, k -> new ArrayList<>()).add(round);
            }
        }
        System.out.println("ServedNamesReconcileTest: requests per round for 26 moved names over 16 periods: " + perRound);
        assertThat(perRound).allMatch(count -> count <= 7);
        assertThat(seenInRound).hasSize(26);
        seenInRound.forEach((name, rounds) -> {
            assertThat(rounds.get(0)).as(name).isLessThan(4);
            for (int i = 1; i < rounds.size(); i++) {
                assertThat(rounds.get(i) - rounds.get(i - 1)).as(name).isLessThanOrEqualTo(4);
            }
        });
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

    private ServedNameStatus served(String name) {
        return resource.getStatus().served.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }

    private Condition condition(String type) {
        return resource.getStatus().condition(type);
    }

    private double gauge(String meter, String name) {
        return meters.get(meter).tag("name", name).gauge().value();
    }
}
