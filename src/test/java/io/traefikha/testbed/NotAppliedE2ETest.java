package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Finding;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.domain.Uptake;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.node.LoadRecords;
import io.traefikha.node.LsyncdInstaller;
import io.traefikha.node.NodeSession;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.planner.NodePlanner;
import io.traefikha.step.LsyncdStep;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14 §4, written is not applied, with real keepalived and lsyncd: a configuration on disk that the daemon has not
 * taken up (its reload or restart failed, or the operator stopped between the write and the reload) is found by the
 * next period from the probe alone, and reloaded rather than rewritten; until then the condition says so. Changing
 * the primary's VRRP priority below the secondary's makes "keepalived runs it" visible: the VIP moves only once the
 * primary's keepalived has loaded it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotAppliedE2ETest extends HaPairE2ETest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    /** Far more than keepalived needs to act on a loaded priority (3 adverts of 120 ms and the skew). */
    private static final long SETTLE_MILLIS = 1_500;
    private static final SyncKeyPair KEY = SyncKeyPair.generate();
    private static final String KEEPALIVED_RECORD = LoadRecords.path("keepalived");

    private static TraefikHAClusterSpec spec;

    @BeforeAll
    static void deployed() {
        spec = HaPair.spec(ClusterSpecs.homelab());
        spec.sync = new SyncSpec(); // Lsyncd mode, for the lsyncd tests below
        pair.deploy(spec, null);
        assertThat(HaPair.await(BOUND, () -> pair.onlyHolder(pair.primary))).as("the primary holds the VIP").isTrue();
    }

    @Test
    @Order(1)
    void aStartRecordsWhatKeepalivedLoadedRootOnlySoTheNextPeriodIsQuiet() {
        String record = pair.primary.readFile(KEEPALIVED_RECORD);
        assertThat(record).contains(sha256(pair.primary, KeepalivedPaths.CONFIG) + " " + KeepalivedPaths.CONFIG,
                KeepalivedPaths.CHECK_SCRIPT, KeepalivedPaths.NOTIFY_SCRIPT);
        assertThat(pair.primary.exec("stat -c %a " + LoadRecords.DIR + " " + KEEPALIVED_RECORD).stdout())
                .as("root only: the hash of keepalived.conf must not be offered to a password guesser").isEqualTo("700\n600\n");

        HaPair.Period quiet = pair.period(spec, null, null);

        assertThat(quiet.plan().actions()).isEmpty();
        assertThat(quiet.finding(ConditionTypes.KEEPALIVED_CONFIGURED).status()).isTrue();
    }

    @Test
    @Order(2)
    void aReloadThatFailedIsRetriedByTheNextPeriodWithoutRewriting() {
        spec.vip.priorities.primary = 50; // below the secondary's 240: the VIP moves once the primary has loaded it
        pair.primary.failOnce("reload", "keepalived");

        HaPair.Period failed = pair.period(spec, null, null);

        assertThat(failed.failure()).as("the reload failed").isNotNull();
        assertThat(failed.failure().getMessage()).contains("test-bed fault");
        assertThat(pair.primary.readFile(KeepalivedPaths.CONFIG)).contains("priority 50");
        assertThat(pair.primary.exists(KEEPALIVED_RECORD)).as("the write voided the record, the failed reload wrote none")
                .isFalse();
        TestBed.sleep(SETTLE_MILLIS);
        assertThat(pair.onlyHolder(pair.primary)).as("keepalived still runs priority 250").isTrue();

        HaPair.Period next = pair.period(spec, null, null);

        assertThat(next.failure()).isNull();
        assertThat(next.plan().actions()).as("reloaded, not rewritten")
                .containsExactly(new NodeAction.ReloadService(Role.PRIMARY, "keepalived", NodeAction.NOT_APPLIED));
        assertNotApplied(next.finding(ConditionTypes.KEEPALIVED_CONFIGURED), "written to the primary");
        assertThat(HaPair.await(BOUND, () -> pair.onlyHolder(pair.secondary))).as("priority 50 runs now").isTrue();
        assertQuiet();
    }

    @Test
    @Order(3)
    void aConfigurationWrittenByAnOperatorThatStoppedBeforeTheReloadIsReloadedByTheNextPeriod() {
        spec.vip.priorities.primary = 250;
        ManagedFile config = KeepalivedNodeFiles.render(spec, "bed", null).get(Role.PRIMARY).stream()
                .filter(f -> f.path().equals(KeepalivedPaths.CONFIG)).findFirst().orElseThrow();
        try (SshNodeGateway operator = pair.gateway(spec)) {
            operator.apply(new NodeAction.WriteFile(Role.PRIMARY, config)); // and the operator dies here
        }
        assertThat(pair.primary.exists(KEEPALIVED_RECORD)).as("voided by the write").isFalse();
        TestBed.sleep(SETTLE_MILLIS);
        assertThat(pair.onlyHolder(pair.secondary)).as("written is not applied: keepalived still runs priority 50").isTrue();

        HaPair.Period next = pair.period(spec, null, null);

        assertThat(next.plan().actions())
                .containsExactly(new NodeAction.ReloadService(Role.PRIMARY, "keepalived", NodeAction.NOT_APPLIED));
        assertNotApplied(next.finding(ConditionTypes.KEEPALIVED_CONFIGURED), "written to the primary");
        assertThat(HaPair.await(BOUND, () -> pair.onlyHolder(pair.primary))).as("priority 250 runs again").isTrue();
        assertQuiet();
    }

    @Test
    @Order(4)
    void anLsyncdRestartThatFailedIsRetriedByTheNextPeriod() {
        E2ePrerequisites.requireExecutable("lsyncd", "lsyncd");
        E2ePrerequisites.requireExecutable("rsync", "rsync");
        assertThat(lsyncdPeriod().lsyncdRestarted()).as("installed").isTrue();
        String pid = lsyncdPid();
        spec.sync.delay = "2s";
        pair.primary.failOnce("restart", "lsyncd");

        assertThatThrownBy(this::lsyncdPeriod).isInstanceOf(ExternalSystemException.class)
                .hasMessageContaining("test-bed fault");
        assertThat(pair.primary.readFile(LsyncdRenderer.CONFIG_PATH)).contains("delay = 2");
        assertThat(lsyncdPid()).as("lsyncd still runs the older configuration").isEqualTo(pid);

        LsyncdOutcome next = lsyncdPeriod();

        assertThat(next).as("restarted, nothing rewritten").isEqualTo(new LsyncdOutcome(List.of(), true, true));
        assertThat(lsyncdPid()).isNotEqualTo(pid);
        assertThat(lsyncdPeriod()).as("then quiet").isEqualTo(new LsyncdOutcome(List.of(), false, false));
    }

    @Test
    @Order(5)
    void lsyncdConfigurationWrittenByAnOperatorThatStoppedBeforeTheRestartIsTakenUpByTheNextPeriod() {
        E2ePrerequisites.requireExecutable("lsyncd", "lsyncd");
        String pid = lsyncdPid();
        spec.sync.delay = "1s";
        try (NodeSession secondary = pair.open(Role.SECONDARY); SshNodeGateway operator = pair.gateway(spec)) {
            RemoteFile config = LsyncdRenderer.render(spec.sync, "bed", HaPair.PRIMARY_ADDRESS, HaPair.SECONDARY_ADDRESS, 22,
                    LsyncdInstaller.readHostKeys(secondary), KEY).primaryFiles(KEY).stream()
                    .filter(f -> f.path().equals(LsyncdRenderer.CONFIG_PATH)).findFirst().orElseThrow();
            operator.apply(new NodeAction.WriteFile(Role.PRIMARY, new ManagedFile(config, Uptake.AT_LOAD))); // dies here
        }
        assertThat(lsyncdPid()).isEqualTo(pid);

        LsyncdOutcome next = lsyncdPeriod();

        assertThat(next).isEqualTo(new LsyncdOutcome(List.of(), true, true));
        assertThat(lsyncdPid()).isNotEqualTo(pid);
        assertThat(pair.primary.readFile(LoadRecords.path("lsyncd")))
                .isEqualTo(sha256(pair.primary, LsyncdRenderer.CONFIG_PATH) + " " + LsyncdRenderer.CONFIG_PATH + "\n");
    }

    /** One lsyncd period as the operator's: both probes, then {@link LsyncdStep#keepInPlace} on what they saw. */
    private LsyncdOutcome lsyncdPeriod() {
        try (SshNodeGateway nodes = pair.gateway(spec)) {
            assertThat(nodes.probe(Role.PRIMARY, List.of()).reachable()).isTrue();
            assertThat(nodes.probe(Role.SECONDARY, List.of()).reachable()).isTrue();
            return LsyncdStep.keepInPlace(nodes, spec.sync, "bed", KEY);
        }
    }

    private static String lsyncdPid() {
        return pair.primary.readFile("/run/bed-lsyncd.pid").strip();
    }

    private static void assertNotApplied(Finding finding, String where) {
        assertThat(finding.status()).isFalse();
        assertThat(finding.reason()).isEqualTo(NodePlanner.NOT_APPLIED);
        assertThat(finding.message()).contains(where, "keepalived runs an older configuration");
    }

    /** The period after the repair plans nothing and reports keepalived configured. */
    private static void assertQuiet() {
        HaPair.Period after = pair.period(spec, null, null);
        assertThat(after.plan().actions()).isEmpty();
        assertThat(after.finding(ConditionTypes.KEEPALIVED_CONFIGURED).status()).isTrue();
    }

    private static String sha256(BedHost host, String path) {
        return host.exec("sha256sum < " + path + " | cut -d' ' -f1").stdout().strip();
    }
}
