package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.keepalived.TraefikHealth;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.HostKeyRejectedException;
import io.traefikha.node.NodeEndpoint;
import io.traefikha.node.NodeProbeReport;
import io.traefikha.node.NodeSession;
import io.traefikha.node.PackageResult;
import io.traefikha.node.ProbeRequest;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.node.VrrpState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The node and keepalived code over real SSH against real sshd and keepalived, then real failovers. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeSetupE2ETest extends HaPairE2ETest {

    private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(10);

    private static final TraefikHAClusterSpec SPEC = HaPair.spec(ClusterSpecs.homelab());

    @Test
    @Order(1)
    void firstTimeSetupInstallsUploadsAndStartsKeepalivedAndThePrimaryTakesTheVip() {
        List<NodeAction> actions = pair.deploy(SPEC, null);

        for (Role role : Role.pair()) {
            assertThat(actions).filteredOn(a -> a.role() == role && a instanceof NodeAction.WriteFile)
                    .extracting(a -> ((NodeAction.WriteFile) a).file().path()).as(role.label())
                    .containsExactlyInAnyOrder(KeepalivedPaths.CONFIG, KeepalivedPaths.CHECK_SCRIPT, KeepalivedPaths.NOTIFY_SCRIPT,
                            KeepalivedPaths.NOTIFY_WEBHOOK, KeepalivedPaths.LOGROTATE, KeepalivedPaths.HEARTBEAT_CONFIG,
                            KeepalivedPaths.HEARTBEAT_SCRIPT, KeepalivedPaths.TRAEFIK_HOOK, KeepalivedPaths.traefikDropIn("traefik"));
            assertThat(actions).contains(new NodeAction.StartService(role, "keepalived"));
            assertThat(pair.host(role).systemctl("is-enabled keepalived").stdout()).contains("enabled");
        }
        assertThat(HaPair.await(FAILOVER_LIMIT, () -> pair.onlyHolder(pair.primary))).as("only the primary holds the VIP").isTrue();
        assertThat(pair.bed.execInClient("curl -fsS -m 2 http://" + HaPair.VIP + "/").stdout()).isEqualTo("traefik");
        assertThat(pair.secondary.readFile(KeepalivedPaths.CONFIG)).contains("priority 240", "unicast_peer");
    }

    @Test
    @Order(2)
    void probeReportsBothNodesInOneRoundTrip() {
        HaPair.await(FAILOVER_LIMIT, () -> pair.secondary.exists(KeepalivedPaths.STATE_FILE));
        NodeProbeReport primary = probe(Role.PRIMARY);
        NodeProbeReport secondary = probe(Role.SECONDARY);

        assertThat(primary.traefikVersion()).as("asked at spec.traefik.versionUrl").isEqualTo("3.1.0");
        assertThat(primary.ipv6Addresses()).as("the bed's hosts have no global IPv6 address").isEmpty();
        assertThat(primary).usingRecursiveComparison().ignoringFields("fileHashes", "syncTree", "lsyncd", "loadedHashes",
                        "traefikVersion", "loadedRouters", "ipv6Addresses")
                .isEqualTo(new NodeProbeReport("traefik", true, true, true, true, true, VrrpState.MASTER,
                        secondary.configHash(), true, 3, Map.of()));
        assertThat(primary.loadedRouters().listed()).as("the stand-in Traefik's routers, by name and status")
                .containsOnlyKeys("router0@file", "router1@file", "router2@file").containsValue("enabled");
        assertThat(primary.loadedRouters().sameAs(secondary.loadedRouters())).isTrue();
        assertThat(primary.syncTree().files()).as("the synced tree, empty like its config_hash").isEmpty();
        assertThat(primary.lsyncd().hostKeys()).as("the host keys lsyncd pins").isNotEmpty();
        assertThat(primary.fileHashes()).containsOnlyKeys(KeepalivedPaths.CONFIG, KeepalivedPaths.CHECK_SCRIPT);
        assertThat(primary.fileHashes().get(KeepalivedPaths.CONFIG))
                .isEqualTo(RemoteFile.rootOwned(KeepalivedPaths.CONFIG, pair.primary.readFile(KeepalivedPaths.CONFIG), 0600).sha256());
        assertThat(primary.loadedHashes()).as("what keepalived read when the operator started it")
                .containsEntry(KeepalivedPaths.CONFIG, primary.fileHashes().get(KeepalivedPaths.CONFIG))
                .containsKeys(KeepalivedPaths.CHECK_SCRIPT, KeepalivedPaths.NOTIFY_SCRIPT);
        assertThat(secondary.vipPresent()).isFalse();
        assertThat(secondary.vrrpState()).isEqualTo(VrrpState.BACKUP);
        assertThat(secondary.hostname()).isEqualTo("traefik-2");

        pair.primary.write("/etc/traefik/traefik.yml", "entryPoints: {}\n", "644");
        assertThat(probe(Role.PRIMARY).configHash()).isNotEqualTo(probe(Role.SECONDARY).configHash());
        pair.secondary.write("/etc/traefik/traefik.yml", "entryPoints: {}\n", "644");
        assertThat(probe(Role.PRIMARY).configHash()).isEqualTo(probe(Role.SECONDARY).configHash());
    }

    @Test
    @Order(3)
    void aRerunRewritesNothingAndRestartsNothing() {
        long configWritten = pair.primary.modifiedMillis(KeepalivedPaths.CONFIG);
        String keepalivedPid = pair.primary.readFile("/run/keepalived.pid");

        assertThat(pair.deploy(SPEC, null)).as("nothing to do").isEmpty();
        assertThat(pair.primary.modifiedMillis(KeepalivedPaths.CONFIG)).isEqualTo(configWritten);
        assertThat(pair.primary.readFile("/run/keepalived.pid")).isEqualTo(keepalivedPid);
        try (NodeSession session = pair.open(Role.PRIMARY)) {
            assertThat(session.ensurePackage("keepalived")).isEqualTo(PackageResult.ALREADY_INSTALLED);
        }
    }

    @Test
    @Order(4)
    void bothKeyTypesAndKnownHostsWork() {
        BedHost host = pair.secondary;
        NodeEndpoint endpoint = new NodeEndpoint(host.address(), 22, "root");
        try (NodeSession session = pair.access.open(endpoint, pair.bed.rsaKeyWithPassphrase(),
                new HostKeyPolicy.KnownHosts(host.knownHostsLine()))) {
            assertThat(session.run("hostname").stdout().strip()).isEqualTo("traefik-2");
            assertThat(session.hostKeyFingerprint()).isEqualTo(host.hostKeyFingerprint());
        }
        try (NodeSession session = pair.access.open(endpoint, pair.bed.ed25519Key(), new HostKeyPolicy.TrustOnFirstUse(null))) {
            assertThat(session.hostKeyFingerprint()).as("first use reports what to pin").isEqualTo(host.hostKeyFingerprint());
            assertThat(session.run("echo out; echo err >&2; exit 7"))
                    .isEqualTo(new io.traefikha.node.CommandResult(7, "out\n", "err\n"));
        }
    }

    @Test
    @Order(5)
    void aChangedHostKeyIsRefusedBeforeAnyCommand() {
        BedHost host = pair.secondary;
        NodeEndpoint endpoint = new NodeEndpoint(host.address(), 22, "root");
        String pinned = host.hostKeyFingerprint();
        String knownHosts = host.knownHostsLine();
        host.regenerateHostKey();

        assertThatThrownBy(() -> pair.access.open(endpoint, pair.bed.ed25519Key(), new HostKeyPolicy.TrustOnFirstUse(pinned)))
                .isInstanceOfSatisfying(HostKeyRejectedException.class, e -> {
                    assertThat(e.expected()).isEqualTo(pinned);
                    assertThat(e.presentedFingerprint()).isEqualTo(host.hostKeyFingerprint());
                });
        assertThatThrownBy(() -> pair.access.open(endpoint, pair.bed.ed25519Key(), new HostKeyPolicy.KnownHosts(knownHosts)))
                .isInstanceOf(HostKeyRejectedException.class);
        String log = host.readFile("/var/log/sshd.log");
        String sinceNewKey = log.substring(log.lastIndexOf("Server listening"));
        assertThat(sinceNewKey).as("refused during key exchange, nobody logged in").contains("[preauth]")
                .doesNotContain("Accepted publickey");
    }

    /**
     * Traefik killed: systemd's stop hook (the bed's stand-in runs the loaded drop-in as systemd does) marks the unit
     * stopped, and keepalived's own log shows the tracked file, not a failed check, put the primary in FAULT; Traefik
     * started again clears the mark once it answers, and the primary takes the VIP back.
     */
    @Test
    @Order(6)
    void aKilledTraefikIsToldByItsUnitAndKeepalivedFaultsOnTheTrackedFile() {
        String dropIn = KeepalivedPaths.traefikDropIn("traefik");
        assertThat(pair.primary.readFile(dropIn)).as("written").contains("ExecStopPost=-+" + KeepalivedPaths.TRAEFIK_HOOK);
        assertThat(pair.primary.exists("/run/bed-systemd/traefik.service.d/traefik-ha.conf"))
                .as("loaded by the daemon-reload that followed the write").isTrue();
        assertThat(HaPair.await(FAILOVER_LIMIT, () -> pair.onlyHolder(pair.primary))).isTrue();
        String keepalivedLog = "/var/log/keepalived.out";
        int logBefore = pair.primary.readFile(keepalivedLog).length();

        pair.primary.killTraefik();

        assertThat(HaPair.await(FAILOVER_LIMIT, () -> pair.secondary.holds(HaPair.VIP))).as("the secondary took over").isTrue();
        assertThat(pair.primary.readFile(KeepalivedPaths.TRAEFIK_STOPPED)).isEqualTo("1\n");
        assertThat(pair.primary.readFile(keepalivedLog).substring(logBefore))
                .contains("tracked file traefik_ha_stopped now FAULT");
        assertThat(pair.primary.readFile(KeepalivedPaths.CHECK_LOG)).contains("traefik unit stopped: signal killed 9");

        pair.primary.startTraefik();

        assertThat(pair.primary.readFile(KeepalivedPaths.TRAEFIK_STOPPED)).as("cleared once Traefik answers").isEqualTo("0\n");
        assertThat(HaPair.await(FAILOVER_LIMIT, () -> pair.onlyHolder(pair.primary))).as("the primary took the VIP back").isTrue();
        assertThat(pair.primary.readFile(keepalivedLog).substring(logBefore))
                .contains("tracked file traefik_ha_stopped leaving FAULT");
    }

    @ParameterizedTest
    @EnumSource(FailoverScenario.class)
    @Order(10)
    void theSecondaryServesWhileThePrimaryIsBrokenAndThePrimaryTakesOverAgain(FailoverScenario scenario) {
        FailoverScenario.Result result = scenario.run(pair);

        System.out.printf("%s: service gap %d ms, failback gap %d ms%n", scenario.label, result.failoverGapMillis(),
                result.failbackGapMillis());
        assertThat(result.servedAfterFailover()).as(scenario.label + ": client served by the secondary").isEqualTo("traefik-2");
        assertThat(result.primaryAloneAgain()).as(scenario.label + ": only the primary holds the VIP again").isTrue();
        assertThat(result.servedAfterFailback()).as(scenario.label + ": client served by the primary again").isEqualTo("traefik");
    }

    /** A rollback's restore takes the drop-in away and has systemd reload: a Traefik killed then marks nothing. */
    @Test
    @Order(20)
    void restoringTheOriginalsTakesTheDropInAwayAndSystemdForgetsIt() {
        String dropIn = KeepalivedPaths.traefikDropIn("traefik");
        try (SshNodeGateway nodes = pair.gateway(SPEC)) {
            nodes.apply(new NodeAction.RestoreOriginals(Role.PRIMARY, List.of(dropIn, KeepalivedPaths.TRAEFIK_HOOK)));
        }

        assertThat(pair.primary.exists(dropIn)).as("the operator created it: removed").isFalse();
        assertThat(pair.primary.exists(KeepalivedPaths.TRAEFIK_HOOK)).isFalse();
        assertThat(pair.primary.exists("/run/bed-systemd/traefik.service.d/traefik-ha.conf")).as("systemd reloaded")
                .isFalse();
        pair.primary.killTraefik();
        pair.primary.startTraefik();
        assertThat(pair.primary.readFile(KeepalivedPaths.TRAEFIK_STOPPED)).as("no hook ran").isEqualTo("0\n");
    }

    private static NodeProbeReport probe(Role role) {
        try (NodeSession session = pair.open(role)) {
            return session.probe(new ProbeRequest(SPEC.network.interfaceName, HaPair.VIP, KeepalivedPaths.STATE_FILE,
                    SPEC.sync.paths, SPEC.sync.exclude, TraefikHealth.of(SPEC),
                    List.of(KeepalivedPaths.CONFIG, KeepalivedPaths.CHECK_SCRIPT), null));
        }
    }
}
