package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.keepalived.TraefikHealth;
import io.traefikha.node.ConfigSync;
import io.traefikha.node.LsyncdInstaller;
import io.traefikha.node.NodeSession;
import io.traefikha.node.ProbeRequest;
import io.traefikha.sync.FileTree;
import io.traefikha.sync.LsyncdFiles;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import io.traefikha.sync.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sync over real SSH: Push through the operator's sessions, then real lsyncd and rsync from the primary to the
 * secondary under the restricted sync key, and the secondary's Traefik stand-in serving the synced route.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigSyncE2ETest extends HaPairE2ETest {

    static final String ROUTE = "/etc/traefik/dynamic/whoami.yml";
    /** The bed's sshd reads this instead of root's authorized_keys. */
    static final String BED_AUTHORIZED_KEYS = "/etc/ssh/bed_authorized_keys";

    private static NodeSession primary;
    private static NodeSession secondary;
    private static SyncMemory memory = SyncMemory.EMPTY;

    @BeforeAll
    static void openSessions() {
        E2ePrerequisites.requireExecutable("lsyncd", "lsyncd");
        E2ePrerequisites.requireExecutable("rsync", "rsync");
        pair.primary.write("/etc/traefik/traefik.yml", "providers:\n  file:\n    directory: /etc/traefik/dynamic\n", "644");
        primary = pair.open(Role.PRIMARY);
        secondary = pair.open(Role.SECONDARY);
    }

    @AfterAll
    static void closeSessions() {
        for (NodeSession session : new NodeSession[] {primary, secondary}) {
            if (session != null) {
                session.close();
            }
        }
    }

    static SyncSpec spec(SyncMode mode) {
        SyncSpec spec = new SyncSpec();
        spec.mode = mode;
        spec.delay = "1s";
        return spec;
    }

    /** A dynamic file with one router, named after the host's first label. */
    static String route(String host) {
        String router = host.split("\\.")[0];
        return "http:\n  routers:\n    " + router + ":\n      rule: Host(`" + host + "`)\n      service: " + router + "\n";
    }

    private static SyncOutcome round(SyncMode mode) {
        SyncOutcome outcome = ConfigSync.round(primary, secondary, spec(mode), memory, Set.of(), Instant.now());
        memory = outcome.memory();
        return outcome;
    }

    @Test
    @Order(1)
    void pushCopiesARouteAddedOnThePrimaryWithItsMode() {
        pair.primary.write(ROUTE, route("whoami.internal"), "640");

        SyncOutcome outcome = round(SyncMode.Push);

        assertThat(outcome.state()).isEqualTo(SyncState.Syncing);
        assertThat(outcome.push().copied()).containsExactlyInAnyOrder(ROUTE, "/etc/traefik/traefik.yml");
        assertThat(pair.secondary.readFile(ROUTE)).isEqualTo(route("whoami.internal"));
        assertThat(pair.secondary.exec("stat -c %a " + ROUTE).stdout().strip()).isEqualTo("640");
        assertThat(outcome.secondaryHash()).isEqualTo(outcome.primaryHash());
        assertThat(round(SyncMode.Push).state()).isEqualTo(SyncState.InSync);
    }

    @Test
    @Order(2)
    void theTreeHashIsTheProbesConfigHash() {
        SyncSpec spec = spec(SyncMode.Push);
        String probed = primary.probe(new ProbeRequest("eth0", HaPair.VIP, KeepalivedPaths.STATE_FILE, spec.paths, spec.exclude,
                new TraefikHealth("traefik", "http://127.0.0.1:8080/ping", "http://127.0.0.1:8080/api/rawdata", null, null),
                List.of(), null)).configHash();

        assertThat(primary.listFiles(spec.paths, spec.exclude).aggregateHash()).isEqualTo(probed);
    }

    @Test
    @Order(3)
    void aFileEditedOnTheSecondaryIsRevertedAndReported() {
        pair.secondary.write(ROUTE, route("evil.internal"), "640");

        SyncOutcome outcome = round(SyncMode.Push);

        assertThat(outcome.state()).isEqualTo(SyncState.Drifted);
        assertThat(outcome.drifted()).containsExactly(ROUTE);
        assertThat(outcome.driftEvent()).hasValueSatisfying(message -> assertThat(message).contains(ROUTE));
        assertThat(outcome.configInSync().status()).isFalse();
        assertThat(pair.secondary.readFile(ROUTE)).isEqualTo(route("whoami.internal"));
    }

    @Test
    @Order(4)
    void aFileDeletedOnThePrimaryIsDeletedOnTheSecondary() {
        pair.primary.write("/etc/traefik/dynamic/old.yml", route("old.internal"), "644");
        round(SyncMode.Push);
        assertThat(pair.secondary.exists("/etc/traefik/dynamic/old.yml")).isTrue();
        pair.primary.exec("rm /etc/traefik/dynamic/old.yml").orThrow("rm");

        SyncOutcome outcome = round(SyncMode.Push);

        assertThat(outcome.push().deleted()).containsExactly("/etc/traefik/dynamic/old.yml");
        assertThat(pair.secondary.exists("/etc/traefik/dynamic/old.yml")).isFalse();
    }

    @Test
    @Order(5)
    void theSecondarysOwnAcmeWritesAreOverwrittenWithoutAlarm() {
        pair.primary.write("/etc/traefik/acme.json", "{\"primary\":{}}", "600");
        round(SyncMode.Push);
        pair.secondary.write("/etc/traefik/acme.json", "{\"renewed-by-secondary\":{}}", "600");

        SyncOutcome outcome = round(SyncMode.Push);

        assertThat(outcome.state()).isEqualTo(SyncState.Syncing);
        assertThat(outcome.drifted()).isEmpty();
        assertThat(outcome.driftEvent()).isEmpty();
        assertThat(pair.secondary.readFile("/etc/traefik/acme.json")).isEqualTo("{\"primary\":{}}");
    }

    @Test
    @Order(6)
    void lsyncdCopiesARouteWithinTheDelayAndTheSecondaryServesIt() {
        SyncSpec spec = spec(SyncMode.Lsyncd);
        SyncKeyPair key = SyncKeyPair.generate();
        LsyncdFiles files = LsyncdRenderer.render(spec, "bed", HaPair.PRIMARY_ADDRESS, HaPair.SECONDARY_ADDRESS, 22,
                LsyncdInstaller.readHostKeys(secondary), key);
        LsyncdInstaller.installOnSecondary(secondary, files, BED_AUTHORIZED_KEYS);
        LsyncdOutcome installed = LsyncdInstaller.installOnPrimary(primary, files, key);
        assertThat(installed.lsyncdRestarted()).isTrue();
        assertThat(pair.primary.systemctl("is-active lsyncd").stdout()).contains("active");
        assertThat(LsyncdInstaller.installOnPrimary(primary, files, key))
                .as("a second install changes nothing").isEqualTo(new LsyncdOutcome(List.of(), false));
        HaPair.await(Duration.ofSeconds(10), () -> pair.primary.readFile("/var/log/lsyncd/lsyncd.log").contains("Startup of"));

        long written = System.nanoTime();
        pair.primary.write("/etc/traefik/dynamic/blog.yml", route("blog.internal"), "644");
        boolean arrived = HaPair.await(Duration.ofSeconds(10), () -> pair.secondary.exists("/etc/traefik/dynamic/blog.yml"));
        long millis = (System.nanoTime() - written) / 1_000_000;

        assertThat(arrived).as("synced by lsyncd; lsyncd log:\n" + pair.primary.readFile("/var/log/lsyncd/lsyncd.log")).isTrue();
        System.out.println("lsyncd change-to-present: " + millis + " ms (delay " + spec.delay + ")");
        assertThat(HaPair.await(Duration.ofSeconds(5), () -> pair.secondary.exec(
                "curl -fsS -m 2 -H 'Host: blog.internal' http://127.0.0.1/").stdout().equals("traefik-2 route blog")))
                .as("the secondary's Traefik serves the synced route").isTrue();
        assertThat(round(SyncMode.Lsyncd).state()).isEqualTo(SyncState.InSync);
    }

    @Test
    @Order(7)
    void theSyncKeyRunsNothingButRsyncIntoTheSyncedPaths() {
        String ssh = "ssh -i " + LsyncdRenderer.KEY_PATH + " -o BatchMode=yes -o UserKnownHostsFile=" + LsyncdRenderer.KNOWN_HOSTS_PATH
                + " root@" + HaPair.SECONDARY_ADDRESS + " ";

        Exec.Result shell = pair.primary.exec(ssh + "'cat /etc/ssh/ssh_host_ed25519_key'");
        Exec.Result elsewhere = pair.primary.exec(ssh + "'rsync --server -logDtpre.iLsfxCIvu . /etc/ssh/'");
        Exec.Result reading = pair.primary.exec(ssh + "'rsync --server --sender -logDtpre.iLsfxCIvu . /etc/traefik/'");

        assertThat(shell.exitCode()).isNotZero();
        assertThat(shell.stdout()).doesNotContain("PRIVATE KEY");
        assertThat(shell.stderr()).contains("refused");
        assertThat(elsewhere.stderr()).contains("refused: destination /etc/ssh/");
        assertThat(reading.stderr()).contains("refused: option --sender");
    }
}
