package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.domain.Shell;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sync key's forced command on the secondary, over real SSH with real lsyncd and rsync: lsyncd's own rsync gets
 * through, while crafted invocations sent with the sync key from the primary (where the key lives, and the only address
 * it is accepted from) are refused, naming what was refused, and write nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RsyncForcedCommandE2ETest extends HaPairE2ETest {

    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final SyncKeyPair KEY = SyncKeyPair.generate();
    /** The same SSH options lsyncd uses, as an rsync client with the sync key would. */
    private static final String SSH = "ssh " + LsyncdRenderer.SSH_OPTIONS;
    private static final String SECONDARY = "root@" + HaPair.SECONDARY_ADDRESS;
    private static final String PAYLOAD = "/root/crafted/";
    private static final String PULLED = "/root/pulled/";
    /** Where the crafted options try to write on the secondary, besides the synced path. */
    private static final List<String> OUTSIDE = List.of("/etc/evil", "/etc/evil-temp", "/etc/evil-partial",
            "/etc/evil-backup", "/etc/evil.log");

    private static SshNodeGateway nodes;

    @BeforeAll
    static void lsyncdInstalled() {
        E2ePrerequisites.requireExecutable("lsyncd", "lsyncd");
        E2ePrerequisites.requireExecutable("rsync", "rsync");
        TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
        spec.sync = new SyncSpec();
        nodes = LsyncdGatewayE2ETest.gateway(pair.access, spec);
        nodes.ensureLsyncd(spec.sync, "bed", KEY);
        pair.primary.write(PAYLOAD + "crafted.yml", "written by a crafted rsync\n", "644");
        for (String dir : List.of("/etc/evil-temp", "/etc/evil-partial")) {
            pair.primary.exec("mkdir -p " + dir); // rsync's client checks these exist locally before it connects
        }
    }

    @AfterAll
    static void closeGateway() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    @Order(1)
    void lsyncdsOwnRsyncStillGoesThrough() {
        String route = "/etc/traefik/dynamic/forced-command.yml";
        assertThat(HaPair.await(BOUND, () -> pair.primary.exists("/var/log/lsyncd/lsyncd.status"))).isTrue();

        pair.primary.write(route, ConfigSyncE2ETest.route("forced.internal"), "644");

        assertThat(HaPair.await(BOUND, () -> pair.secondary.exists(route)))
                .as("lsyncd log:\n" + pair.primary.readFile("/var/log/lsyncd/lsyncd.log")).isTrue();
        assertThat(pair.secondary.readFile(route)).isEqualTo(ConfigSyncE2ETest.route("forced.internal"));
    }

    /** A real rsync client with options that could write outside the synced paths, each refused before rsync runs. */
    @Test
    @Order(2)
    void craftedRsyncClientsAreRefusedAndWriteNothing() {
        String before = tree(pair.secondary, "/etc/traefik");
        Map<String, String> refusedAs = new LinkedHashMap<>();
        refusedAs.put("-K " + PAYLOAD + " " + SECONDARY + ":/etc/traefik/", "option -K in ");
        refusedAs.put("--keep-dirlinks " + PAYLOAD + " " + SECONDARY + ":/etc/traefik/", "option -K in ");
        refusedAs.put("--copy-unsafe-links " + PAYLOAD + " " + SECONDARY + ":/etc/traefik/", "option --copy-unsafe-links");
        refusedAs.put("--temp-dir=/ " + PAYLOAD + " " + SECONDARY + ":/etc/traefik/", "option --temp-dir");
        refusedAs.put("--temp-dir=/etc/evil-temp " + PAYLOAD + " " + SECONDARY + ":/etc/traefik/", "option --temp-dir");
        refusedAs.put("--partial-dir=/etc/evil-partial " + PAYLOAD + " " + SECONDARY + ":/etc/traefik/", "option --partial-dir");
        refusedAs.put("--backup --backup-dir=/etc/evil-backup " + PAYLOAD + " " + SECONDARY + ":/etc/traefik/", "option -b in ");
        refusedAs.put("-M--log-file=/etc/evil.log " + PAYLOAD + " " + SECONDARY + ":/etc/traefik/",
                "option --log-file=/etc/evil.log");
        refusedAs.put(PAYLOAD + " " + SECONDARY + ":/etc/evil/", "destination /etc/evil/");
        refusedAs.put(PAYLOAD + " " + SECONDARY + ":/etc/traefik/../evil/", "destination /etc/traefik/../evil/");
        refusedAs.put(SECONDARY + ":/etc/traefik/ " + PULLED, "option --sender");
        refusedAs.put("-L " + SECONDARY + ":/etc/ssh/ " + PULLED, "option --sender");

        refusedAs.forEach((args, reason) -> {
            Exec.Result result = pair.primary.exec("rsync -a --rsh=" + Shell.quote(SSH) + " " + args);
            assertThat(result.exitCode()).as(args).isNotZero();
            assertThat(result.stderr()).as(args).contains("traefik-ha-rsync-only: refused: " + reason);
        });

        assertThat(tree(pair.secondary, "/etc/traefik")).as("the synced path is unchanged").isEqualTo(before);
        OUTSIDE.forEach(path -> assertThat(pair.secondary.exists(path)).as(path).isFalse());
        assertThat(pair.secondary.exec("find /etc /root /usr/local/bin -name crafted.yml").stdout()).isEmpty();
        assertThat(pair.primary.exists(PULLED)).as("nothing was read from the secondary").isFalse();
    }

    /** Raw commands over the sync key: rsync letters only a receiver would use, shell metacharacters, other programs. */
    @Test
    @Order(3)
    void craftedCommandsAreRefused() {
        String flags = "-logDtpre.iLsfxCIvu";
        Map<String, String> refusedAs = new LinkedHashMap<>();
        refusedAs.put("rsync --server -logDtpLre.iLsfxCIvu . /etc/traefik/", "option -L in ");
        refusedAs.put("rsync --server -logDtpkre.iLsfxCIvu . /etc/traefik/", "option -k in ");
        refusedAs.put("rsync --server --sender " + flags + " . /etc/traefik/", "option --sender");
        refusedAs.put("rsync --server " + flags + " . /etc/traefik/ /etc/evil/", "argument .");
        refusedAs.put("rsync --server " + flags + " . /etc/traefik/; touch /etc/evil", "unexpected characters");
        refusedAs.put("rsync --server " + flags + " . /etc/traefik/ && touch /etc/evil", "unexpected characters");
        refusedAs.put("rsync --server " + flags + " . $(touch /etc/evil)", "unexpected characters");
        refusedAs.put("rsync --server " + flags + " . `touch /etc/evil`", "unexpected characters");
        refusedAs.put("rsync --server " + flags + " . /etc/traefik/ | tee /etc/evil", "unexpected characters");
        refusedAs.put("touch /etc/evil", "not an rsync server command");

        refusedAs.forEach((command, reason) -> {
            Exec.Result result = pair.primary.exec(SSH + " " + SECONDARY + " " + Shell.quote(command));
            assertThat(result.exitCode()).as(command).isNotZero();
            assertThat(result.stderr()).as(command).contains("traefik-ha-rsync-only: refused: " + reason);
        });
        assertThat(pair.secondary.exists("/etc/evil")).isFalse();
    }

    /** Every entry under DIR with its type, size, mode and modification time. */
    private static String tree(BedHost host, String dir) {
        return host.exec("find " + dir + " -printf '%p %y %s %m %T@\\n' | sort").orThrow("listing " + dir).stdout();
    }
}
