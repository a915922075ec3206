package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.dns.AdGuardHomeProvider;
import io.traefikha.dns.DnsProvider;
import io.traefikha.dns.ServedEvidence;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NameChecker;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.gateway.ProxmoxGateway;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.adguard.Rewrite;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterConnections;
import io.traefikha.step.DnsStep;
import io.traefikha.step.DrillJournal;
import io.traefikha.step.DurableStateStore;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.step.Round;
import io.traefikha.step.StatusAggregator;
import io.traefikha.step.EntryPointProber;
import io.traefikha.step.VipProber;
import io.traefikha.sync.SyncKeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.dns.adguard.replicas against two AdGuard Home simulators: each server gets the same changes with its own
 * ownership registry, is reported on its own, and a server that cannot be read holds the migration back. And
 * spec.dns.discover over both: what either server points at the primary is found, listed and moved last.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class DnsReplicasTest {

    private static final String FQDN = "." + HomelabPreset.DOMAIN;
    private static final String PRIMARY = HomelabPreset.PRIMARY_ADDRESS;
    private static final String VIP = HomelabPreset.VIP_ADDRESS;
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    private final RecordingEvents events = new RecordingEvents();
    private final DnsStep dns = new DnsStep(events, new ReconcileMetrics(new SimpleMeterRegistry()));
    private final FixedConnections.MemoryRegistry mainRegistry = new FixedConnections.MemoryRegistry();
    private final FixedConnections.MemoryRegistry replicaRegistry = new FixedConnections.MemoryRegistry();
    private AdGuardHomeSimulator main;
    private AdGuardHomeSimulator replica;
    private TraefikHACluster resource;

    @BeforeEach
    void servers() {
        main = AdGuardHomeSimulator.builder().user("admin", "pw").rewrites(HomelabPreset.rewrites()).start();
        List<Rewrite> replicaRewrites = new ArrayList<>(HomelabPreset.rewrites());
        replicaRewrites.removeIf(r -> r.domain().equals("grafana" + FQDN));
        replicaRewrites.add(new Rewrite("grafana" + FQDN, "192.168.1.50")); // pointed elsewhere on the replica only
        replica = AdGuardHomeSimulator.builder().user("admin", "pw").rewrites(replicaRewrites).start();
        resource = ExampleSpecs.homelab();
        // the example's first three phases, eight names: enough to show every server treated alike
        resource.getSpec().dns.phases = resource.getSpec().dns.phases.subList(0, 3);
        resource.getSpec().dns.records = resource.getSpec().dns.phases.stream().flatMap(p -> p.records.stream()).toList();
        resource.getSpec().dns.adguard.replicas = List.of(replica.url());
    }

    @AfterEach
    void stop() {
        main.close();
        replica.close();
    }

    @Test
    void everyServerGetsTheSameChangesWithItsOwnRegistryAndStatus() {
        resource.getSpec().dns.soakTime = "0s";

        for (int round = 0; round < 4; round++) {
            reconcile(T0.plusSeconds(round));
        }

        for (String name : List.of("traefik", "memos", "influxdb")) {
            assertThat(main.answersOf(name + FQDN)).as(name).containsExactly(VIP);
            assertThat(replica.answersOf(name + FQDN)).as(name).containsExactly(VIP);
        }
        assertThat(main.answersOf("grafana" + FQDN)).containsExactly(VIP);
        assertThat(replica.answersOf("grafana" + FQDN)).as("a conflict on the replica is left alone")
                .containsExactly("192.168.1.50");
        assertThat(mainRegistry.saved.previousAnswers()).hasSize(8).containsEntry("grafana" + FQDN, List.of(PRIMARY));
        assertThat(replicaRegistry.saved.previousAnswers()).hasSize(7).doesNotContainKey("grafana" + FQDN);
        assertThat(resource.getStatus().dns.servers).extracting(s -> s.server + " " + s.inPlace + " " + s.conflicting)
                .containsExactly(server(main) + " 8 []", server(replica) + " 7 [grafana" + FQDN + "]");
        assertThat(resource.getStatus().dns.inPlace).isEqualTo(7);
        assertThat(resource.getStatus().dns.conflicting).containsExactly("grafana" + FQDN);
        assertThat(events.recorded).anySatisfy(e -> assertThat(e.message()).contains("memos" + FQDN).endsWith(" on " + server(replica)));

        assertThat(dns.rollback(resource, connections())).isTrue();
        assertThat(main.answersOf("memos" + FQDN)).containsExactly(PRIMARY);
        assertThat(replica.answersOf("memos" + FQDN)).containsExactly(PRIMARY);
        assertThat(replica.answersOf("grafana" + FQDN)).containsExactly("192.168.1.50");
        assertThat(replicaRegistry.saved.previousAnswers()).isEmpty();
    }

    @Test
    void aServerThatCannotBeReadIsReportedAndHoldsTheNextGroupBack() {
        replica.failNextRequests(1_000, 500);

        Condition ready = reconcile(T0);

        assertThat(main.answersOf("traefik" + FQDN)).as("the pilot moves where it can").containsExactly(VIP);
        assertThat(ready.status).isEqualTo(Condition.FALSE);
        assertThat(ready.reason).isEqualTo("Unreachable");
        assertThat(resource.getStatus().dns.servers.get(1).error).isNotBlank();
        assertThat(resource.getStatus().dns.livePhase).as("no progress while a server is not read").isNull();

        replica.failNextRequests(0, 500);
        reconcile(T0.plus(Duration.ofMinutes(1)));
        assertThat(replica.answersOf("traefik" + FQDN)).as("the replica catches up").containsExactly(VIP);
        reconcile(T0.plus(Duration.ofMinutes(2)));
        assertThat(resource.getStatus().dns.livePhase).isEqualTo("pilot");
        assertThat(resource.getStatus().dns.livePhaseSince).isEqualTo(T0.plus(Duration.ofMinutes(2)).toString());

        reconcile(T0.plus(Duration.ofMinutes(2)).plus(Duration.ofHours(24)).plusSeconds(1));
        assertThat(main.answersOf("memos" + FQDN)).containsExactly(VIP);
        assertThat(replica.answersOf("memos" + FQDN)).containsExactly(VIP);
    }

    @Test
    void discoveredNamesAreListedMovedAfterThePhasesAndANameAddedLaterIsFoundTooButNeverOneElsewhere() {
        resource.getSpec().dns.discover = true;
        resource.getSpec().dns.soakTime = "0s";
        replica.addRewrite(new Rewrite("jellyfin" + FQDN, PRIMARY)); // on the replica only
        main.addRewrite(new Rewrite("printer" + FQDN, "192.168.1.60")); // points elsewhere: not ours to find
        main.addRewrite(new Rewrite("*" + FQDN, PRIMARY)); // a wildcard: never touched
        main.addRewrite(new Rewrite("nas.example.org", PRIMARY)); // outside the domain

        reconcile(T0);
        List<String> found = resource.getStatus().dns.discovered;
        assertThat(found).as("the preset's 18 names no phase lists, and the replica's own").hasSize(19)
                .contains("wiki" + FQDN, "jellyfin" + FQDN).doesNotContain("traefik" + FQDN, "printer" + FQDN, "nas.example.org")
                .isSorted();
        assertThat(main.answersOf("wiki" + FQDN)).as("found names wait for every phase").containsExactly(PRIMARY);

        for (int round = 1; round <= 4; round++) {
            reconcile(T0.plusSeconds(round));
        }
        assertThat(main.answersOf("wiki" + FQDN)).containsExactly(VIP);
        assertThat(replica.answersOf("jellyfin" + FQDN)).containsExactly(VIP);
        assertThat(main.answersOf("jellyfin" + FQDN)).as("created on the main server as on the replica").containsExactly(VIP);
        assertThat(main.answersOf("printer" + FQDN)).containsExactly("192.168.1.60");
        assertThat(main.answersOf("*" + FQDN)).containsExactly(PRIMARY);
        assertThat(main.answersOf("nas.example.org")).containsExactly(PRIMARY);
        assertThat(resource.getStatus().dns.discovered).as("moved names stay in the migration, not reverted").hasSize(19);
        assertThat(resource.getStatus().dns.wanted).isEqualTo(8 + 19);
        assertThat(resource.getStatus().dns.servers.get(0).inPlace).as("all in place on the main server").isEqualTo(8 + 19);

        main.addRewrite(new Rewrite("immich" + FQDN, PRIMARY));
        reconcile(T0.plusSeconds(10));
        assertThat(main.answersOf("immich" + FQDN)).as("a name added later, found the next round").containsExactly(VIP);
        assertThat(resource.getStatus().dns.discovered).contains("immich" + FQDN).hasSize(20);
    }

    @Test
    void withAnIpv6VipEveryMovedNameAnswersItInAaaaOnEveryServerAndRemovingItGivesTheAaaaAnswersBack() {
        String vip6 = "fd00:1::100";
        String primary6 = "fd00:1::110";
        resource.getSpec().dns.soakTime = "0s";
        resource.getSpec().vip.addresses = List.of(resource.getSpec().vip.address, vip6 + "/64");
        resource.getSpec().primary.address6 = primary6 + "/64";
        main.addRewrite(new Rewrite("traefik" + FQDN, primary6));
        replica.addRewrite(new Rewrite("memos" + FQDN, "fd00:1::50")); // someone else's IPv6 answer, on the replica only

        for (int round = 0; round < 4; round++) {
            reconcile(T0.plusSeconds(round));
        }

        assertThat(main.query("traefik" + FQDN, "AAAA")).contains(List.of(vip6));
        assertThat(main.query("traefik" + FQDN, "A")).contains(List.of(VIP));
        assertThat(replica.query("traefik" + FQDN, "AAAA")).contains(List.of(vip6));
        assertThat(replica.query("memos" + FQDN, "AAAA")).as("not ours").contains(List.of("fd00:1::50"));
        assertThat(main.query("memos" + FQDN, "AAAA")).contains(List.of(vip6));
        assertThat(main.query("grafana" + FQDN, "AAAA")).contains(List.of(vip6));
        assertThat(replica.query("grafana" + FQDN, "AAAA")).as("its A answer is not ours on the replica")
                .contains(List.of());
        var aaaa = resource.getStatus().dns.aaaa;
        assertThat(aaaa.vip).isEqualTo(vip6);
        assertThat(aaaa.wanted).as("names at the VIP on the main server").isEqualTo(8);
        assertThat(aaaa.inPlace).as("the fewest of the servers").isEqualTo(6);
        assertThat(aaaa.conflicting).containsExactly("memos" + FQDN);
        assertThat(resource.getStatus().dns.servers).extracting(s -> s.aaaaInPlace).containsExactly(8, 6);
        Condition ready = resource.getStatus().condition(ConditionTypes.DNS_READY);
        assertThat(ready.status).isEqualTo(Condition.FALSE);
        assertThat(ready.message).contains("in AAAA 6 of 8 to " + vip6);
        assertThat(resource.getStatus().condition(ConditionTypes.DNS_CONFLICT).message)
                .contains("memos" + FQDN + " AAAA -> fd00:1::50");
        assertThat(mainRegistry.saved.previousAaaaAnswers()).hasSize(8).containsEntry("traefik" + FQDN, List.of(primary6));
        assertThat(events.recorded).anySatisfy(e -> assertThat(e.message()).startsWith("traefik" + FQDN + " AAAA: ["
                + primary6 + "] -> [" + vip6 + "] (MIGRATE"));

        resource.getSpec().vip.addresses = null;
        Condition after = reconcile(T0.plusSeconds(10));

        assertThat(main.query("traefik" + FQDN, "AAAA")).as("back to the primary's").contains(List.of(primary6));
        assertThat(main.query("memos" + FQDN, "AAAA")).as("no AAAA answer again").contains(List.of());
        assertThat(main.query("memos" + FQDN, "A")).contains(List.of(VIP));
        assertThat(replica.query("memos" + FQDN, "AAAA")).contains(List.of("fd00:1::50"));
        assertThat(mainRegistry.saved.previousAaaaAnswers()).isEmpty();
        assertThat(replicaRegistry.saved.previousAaaaAnswers()).isEmpty();
        assertThat(resource.getStatus().dns.aaaa).isNull();
        assertThat(after.message).doesNotContain("AAAA");
    }

    private static String server(AdGuardHomeSimulator simulator) {
        return new AdGuardHomeProvider(simulator.url(), "admin", "pw", Duration.ofSeconds(5)).server();
    }

    private Condition reconcile(Instant now) {
        StatusAggregator status = new StatusAggregator(resource, Clock.systemUTC());
        Round round = new Round(resource, status, connections(), Clock.systemUTC());
        round.servedEvidence(ServedEvidence.CLEAR);
        dns.migrate(round, true, now);
        resource.setStatus(status.build());
        return resource.getStatus().condition(ConditionTypes.DNS_READY);
    }

    private ClusterConnections connections() {
        DnsProvider mainServer = new AdGuardHomeProvider(main.url(), "admin", "pw", Duration.ofSeconds(5));
        DnsProvider replicaServer = new AdGuardHomeProvider(replica.url(), "admin", "pw", Duration.ofSeconds(5));
        FixedConnections fixed = new FixedConnections(new FakeProxmox(), new SimulatedNodes(),
                Map.<Role, List<ManagedFile>>of(), Optional.of(mainServer), mainRegistry);
        return new ClusterConnections() {
            @Override
            public ProxmoxGateway proxmox() {
                return fixed.proxmox();
            }

            @Override
            public NodeGateway nodes() {
                return fixed.nodes();
            }

            @Override
            public Optional<DnsProvider> dns() {
                return fixed.dns();
            }

            @Override
            public DnsRegistry dnsRegistry() {
                return mainRegistry;
            }

            @Override
            public DurableStateStore durableState() {
                return fixed.durableState();
            }

            @Override
            public List<DnsServer> dnsReplicas() {
                return List.of(new DnsServer(replicaServer, replicaRegistry));
            }

            @Override
            public Map<Role, List<ManagedFile>> renderedFiles(Optional<Role> pinnedHolder) {
                return Map.of();
            }

            @Override
            public SyncKeyPair syncKey() {
                return fixed.syncKey();
            }

            @Override
            public VipProber vipProber() {
                return fixed.vipProber();
            }

            @Override
            public EntryPointProber entryPointProber() {
                return fixed.entryPointProber();
            }

            @Override
            public NameChecker nameChecker() {
                return fixed.nameChecker();
            }

            @Override
            public DrillJournal drillJournal() {
                return fixed.drillJournal();
            }

            @Override
            public void close() {
            }
        };
    }
}
