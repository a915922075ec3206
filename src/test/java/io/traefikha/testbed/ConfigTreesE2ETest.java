package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.domain.FileEntry;
import io.traefikha.domain.Role;
import io.traefikha.node.ConfigPush;
import io.traefikha.node.ConfigSync;
import io.traefikha.node.LsyncdInstaller;
import io.traefikha.node.NodeSession;
import io.traefikha.sync.FileTree;
import io.traefikha.sync.LsyncdFiles;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.PushResult;
import io.traefikha.sync.SyncKeyPair;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import io.traefikha.sync.SyncState;
import io.traefikha.sync.TreeDiff;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real configuration trees over real SSH, in both sync modes: Push (the operator's sessions) and Lsyncd (lsyncd and
 * rsync under the restricted sync key). Each case of {@link #CASES} is synced as a symlink stays a symlink, a name comes
 * through byte for byte, an owner without a name keeps its number, rotated logs stay behind; only then may the round
 * say InSync. A synced root that is a symlink is refused, naming node and path; a secondary without space gets every
 * file that fits, no temporary file, and a condition naming the node, the file and the space it needs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigTreesE2ETest extends HaPairE2ETest {

    /** A root on the secondary backed by a small tmpfs, to fill it. */
    private static final String SMALL = "/etc/traefik-small";
    /** A root that is a directory on the primary but a symlink on the secondary (Lsyncd part). */
    private static final String LINKED = "/etc/traefik-linked";
    private static final String ELSEWHERE = "/etc/traefik-elsewhere";
    private static final Duration BOUND = Duration.ofSeconds(30);

    /**
     * One kind of entry a real tree has: SETUP runs on the primary with $d set to the case's directory; PATHS (relative
     * to $d) must then look the same on the secondary (type, owner, mode, content or link target), or be absent there
     * when the case is excluded.
     */
    record TreeCase(String name, String setup, List<String> paths, boolean excluded) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<TreeCase> CASES = List.of(
            new TreeCase("symlink to a file", "echo v2 > \"$d/v2.yml\" && ln -s v2.yml \"$d/current.yml\"",
                    List.of("v2.yml", "current.yml"), false),
            new TreeCase("symlink to a directory outside the tree",
                    "mkdir -p /etc/ssl/bed-certs-$m && echo key > /etc/ssl/bed-certs-$m/key.pem && ln -s /etc/ssl/bed-certs-$m \"$d/certs\"",
                    List.of("certs"), false),
            new TreeCase("dangling symlink", "ln -s /nowhere/at/all \"$d/dangling\"", List.of("dangling"), false),
            new TreeCase("name with spaces", write("with  two spaces.yml"), List.of("with  two spaces.yml"), false),
            new TreeCase("unicode name", write("ünïcödé-路由.yml"), List.of("ünïcödé-路由.yml"), false),
            new TreeCase("name with a newline", write("new\nline.yml"), List.of("new\nline.yml"), false),
            new TreeCase("name with a backslash", write("back\\slash.yml"), List.of("back\\slash.yml"), false),
            new TreeCase("name with a leading dash", write("-rf.yml"), List.of("-rf.yml"), false),
            new TreeCase("owner without a user name", write("orphan.yml") + " && chown 54321:54322 \"$d/\"" + name("orphan.yml"),
                    List.of("orphan.yml"), false),
            new TreeCase("rotated logs", write("access.log.1") + " && " + write("access.log.2.gz") + " && "
                    + write("traefik.log.10"), List.of("access.log.1", "access.log.2.gz", "traefik.log.10"), true));

    private static NodeSession primary;
    private static NodeSession secondary;

    @BeforeAll
    static void openSessions() {
        E2ePrerequisites.requireExecutable("lsyncd", "lsyncd");
        E2ePrerequisites.requireExecutable("rsync", "rsync");
        pair.primary.exec("mkdir -p " + SMALL).orThrow("mkdir");
        pair.secondary.exec("mkdir -p " + SMALL + " && mount -t tmpfs -o size=4m bed-small " + SMALL).orThrow("tmpfs");
        primary = pair.open(Role.PRIMARY);
        secondary = pair.open(Role.SECONDARY);
    }

    @AfterAll
    static void cleanUp() {
        for (NodeSession session : new NodeSession[] {primary, secondary}) {
            if (session != null) {
                session.close();
            }
        }
        if (pair != null) {
            pair.secondary.exec("umount " + SMALL);
        }
    }

    @Test
    @Order(1)
    void pushReproducesEveryCaseAndOnlyThenSaysInSync() {
        SyncSpec spec = spec(SyncMode.Push, "/etc/traefik");
        setUp("/etc/traefik/push-cases", "push");

        SyncOutcome first = round(spec, SyncMemory.EMPTY);
        SyncOutcome second = round(spec, first.memory());

        assertThat(first.configInSync().reason()).as(first.configInSync().message()).isEqualTo("Syncing");
        assertThat(second.state()).as(second.configInSync().message()).isEqualTo(SyncState.InSync);
        assertEveryCaseOnTheSecondary("/etc/traefik/push-cases");
        assertThat(pair.secondary.exec("test -e /etc/ssl/bed-certs-push").exitCode())
                .as("a link's target outside the tree is never written").isNotZero();
    }

    @Test
    @Order(2)
    void pushRefusesASyncedRootThatIsASymlinkNamingTheNodeAndPath() {
        String root = "/etc/traefik-via-link";
        pair.primary.exec("mkdir -p /etc/traefik-real && echo x > /etc/traefik-real/a.yml && ln -s /etc/traefik-real " + root)
                .orThrow("symlinked root");
        SyncSpec spec = spec(SyncMode.Push, root);

        SyncOutcome outcome = round(spec, SyncMemory.EMPTY);

        assertThat(outcome.state()).isEqualTo(SyncState.Blocked);
        assertThat(outcome.configInSync().reason()).isEqualTo("Refused");
        assertThat(outcome.configInSync().message()).contains("the primary " + HaPair.PRIMARY_ADDRESS, root, "symlink",
                "/etc/traefik-real");
        assertThat(pair.secondary.exec("test -e " + root + " || test -e /etc/traefik-real").exitCode())
                .as("nothing written on the secondary").isNotZero();
    }

    @Test
    @Order(3)
    void pushCopiesEveryFileThatFitsAndNamesTheOneThatDoesNot() {
        pair.primary.exec("head -c 8388608 /dev/urandom > " + SMALL + "/big.bin && echo a > " + SMALL + "/a.yml && echo z > "
                + SMALL + "/z.yml").orThrow("files");
        SyncSpec spec = spec(SyncMode.Push, SMALL);

        SyncOutcome outcome = round(spec, SyncMemory.EMPTY);

        assertThat(outcome.state()).isEqualTo(SyncState.Blocked);
        assertThat(outcome.configInSync()).isEqualTo(new SyncOutcome.Condition(false, "InsufficientSpace",
                "the secondary " + HaPair.SECONDARY_ADDRESS + " has too little space: " + SMALL + "/big.bin needs 8.0 MiB, "
                        + free() + " free; everything else was copied"));
        assertThat(pair.secondary.exec("cat " + SMALL + "/a.yml " + SMALL + "/z.yml").stdout()).isEqualTo("a\nz\n");
        assertThat(leftovers()).isEmpty();
        assertThat(round(spec, outcome.memory()).state()).as("never InSync while it is missing").isEqualTo(SyncState.Blocked);
    }

    /** The file grew after the listing: the space check passes, the disk fills mid-stream; nothing is left behind. */
    @Test
    @Order(4)
    void aDiskThatFillsMidStreamLeavesNothingBehindAndSaysHowMuchWasNeeded() {
        FileTree listed = primary.listFiles(List.of(SMALL), List.of());
        FileEntry big = listed.get(SMALL + "/big.bin").orElseThrow();
        FileEntry understated = FileEntry.file(big.path(), big.sha256(), big.mode(), big.owner(), big.group(), 1024);
        FileTree stale = new FileTree(Map.of(big.path(), understated), Map.of());

        PushResult result = ConfigPush.apply(primary, secondary, List.of(SMALL), stale,
                TreeDiff.compare(stale, FileTree.of(List.of())));

        assertThat(result.copied()).isEmpty();
        assertThat(result.notCopied()).singleElement().satisfies(notCopied -> {
            assertThat(notCopied.forLackOfSpace()).isTrue();
            assertThat(notCopied.toString()).startsWith(SMALL + "/big.bin needs 1.0 KiB");
        });
        assertThat(leftovers()).isEmpty();
        assertThat(pair.secondary.exec("test -e " + SMALL + "/big.bin").exitCode()).isNotZero();
        pair.primary.exec("rm -f " + SMALL + "/*").orThrow("emptying");
        pair.secondary.exec("rm -f " + SMALL + "/*").orThrow("emptying");
    }

    @Test
    @Order(5)
    void lsyncdReproducesEveryCaseAndTheHashCheckAgrees() {
        installLsyncd();
        setUp("/etc/traefik/lsyncd-cases", "lsyncd");
        SyncSpec spec = spec(SyncMode.Lsyncd, "/etc/traefik");
        // the operator's first look comes a period (15 s) later; a difference that outlives an unchanged primary is drift
        TreeCase lastCase = CASES.get(CASES.size() - 2);
        assertThat(HaPair.await(BOUND, () -> !fingerprint(pair.secondary, "/etc/traefik/lsyncd-cases/" + slug(lastCase),
                lastCase.paths().get(0)).equals("absent"))).as(lsyncdLog()).isTrue();

        List<SyncOutcome> rounds = roundsUntil(spec, o -> o.state() == SyncState.InSync);

        assertThat(rounds.get(rounds.size() - 1).state()).as(lsyncdLog()).isEqualTo(SyncState.InSync);
        assertThat(rounds).as("copied by lsyncd alone, no push").allSatisfy(o -> assertThat(o.push()).isNull());
        assertEveryCaseOnTheSecondary("/etc/traefik/lsyncd-cases");
    }

    @Test
    @Order(6)
    void lsyncdNeverWritesThroughASecondaryRootThatIsASymlink() {
        pair.primary.exec("echo routed > " + LINKED + "/route.yml").orThrow("route");
        SyncSpec spec = spec(SyncMode.Lsyncd, LINKED);

        boolean retried = HaPair.await(BOUND, () -> lsyncdLog().contains("Retrying startup of " + LINKED + "/"));
        Exec.Result asLsyncdDoes = pair.primary.exec("rsync -a --delete -e 'ssh -i " + LsyncdRenderer.KEY_PATH
                + " -o BatchMode=yes -o UserKnownHostsFile=" + LsyncdRenderer.KNOWN_HOSTS_PATH + "' " + LINKED + "/ root@"
                + HaPair.SECONDARY_ADDRESS + ":" + LINKED + "/");
        SyncOutcome outcome = round(spec, SyncMemory.EMPTY);

        assertThat(retried).as(lsyncdLog()).isTrue();
        assertThat(asLsyncdDoes.stderr()).contains("traefik-ha-rsync-only: refused: destination " + LINKED + "/ is a symlink");
        assertThat(outcome.configInSync().reason()).isEqualTo("Refused");
        assertThat(outcome.configInSync().message()).contains("the secondary " + HaPair.SECONDARY_ADDRESS, LINKED);
        assertThat(pair.secondary.exec("ls -A " + ELSEWHERE).stdout()).as("nothing written where it points").isEmpty();
    }

    @Test
    @Order(7)
    void lsyncdOnAFullDiskIsHealedForEveryFileThatFitsAndNamesTheOneThatDoesNot() {
        pair.primary.exec("echo b > " + SMALL + "/b.yml && head -c 8388608 /dev/urandom > " + SMALL + "/big2.bin && echo y > "
                + SMALL + "/y.yml").orThrow("files");
        SyncSpec spec = spec(SyncMode.Lsyncd, SMALL);

        List<SyncOutcome> rounds = roundsUntil(spec, o -> o.configInSync().reason().equals("InsufficientSpace"));
        SyncOutcome last = rounds.get(rounds.size() - 1);

        assertThat(last.configInSync().message()).as(lsyncdLog()).contains("the secondary " + HaPair.SECONDARY_ADDRESS,
                SMALL + "/big2.bin needs 8.0 MiB");
        assertThat(last.state()).isEqualTo(SyncState.Blocked);
        assertThat(pair.secondary.exec("cat " + SMALL + "/b.yml " + SMALL + "/y.yml").stdout()).isEqualTo("b\ny\n");
        pair.primary.systemctl("stop lsyncd"); // lsyncd retries rsync, whose temporary file lives while it runs
        assertThat(HaPair.await(Duration.ofSeconds(10), () -> leftovers().isEmpty())).as(leftovers()).isTrue();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static SyncSpec spec(SyncMode mode, String... paths) {
        SyncSpec spec = new SyncSpec();
        spec.mode = mode;
        spec.delay = "1s";
        spec.paths = new ArrayList<>(List.of(paths));
        return spec;
    }

    private static SyncOutcome round(SyncSpec spec, SyncMemory memory) {
        return ConfigSync.round(primary, secondary, spec, memory, Set.of(), Instant.now());
    }

    /** Rounds a second apart, as the operator's periods, until DONE holds or {@link #BOUND} passes; all of them. */
    private static List<SyncOutcome> roundsUntil(SyncSpec spec, Predicate<SyncOutcome> done) {
        List<SyncOutcome> rounds = new ArrayList<>();
        SyncMemory memory = SyncMemory.EMPTY;
        long deadline = System.nanoTime() + BOUND.toNanos();
        do {
            SyncOutcome outcome = round(spec, memory);
            rounds.add(outcome);
            memory = outcome.memory();
            if (done.test(outcome)) {
                break;
            }
            TestBed.sleep(1000);
        } while (System.nanoTime() < deadline);
        return rounds;
    }

    private static void setUp(String dir, String mode) {
        for (TreeCase c : CASES) {
            pair.primary.exec("d=" + dir + "/" + slug(c) + " m=" + mode + "; mkdir -p \"$d\" && " + c.setup()).orThrow(c.name());
        }
    }

    /** Every case's paths as the primary has them, or absent for an excluded case. */
    private static void assertEveryCaseOnTheSecondary(String dir) {
        for (TreeCase c : CASES) {
            for (String path : c.paths()) {
                String onPrimary = fingerprint(pair.primary, dir + "/" + slug(c), path);
                String onSecondary = fingerprint(pair.secondary, dir + "/" + slug(c), path);
                assertThat(onPrimary).as(c + ": " + path + " on the primary").doesNotStartWith("absent");
                assertThat(onSecondary).as(c + ": " + path + " on the secondary").isEqualTo(c.excluded() ? "absent" : onPrimary);
            }
        }
    }

    /** "link uid:gid target", "file uid:gid mode sha256" or "absent", read with the name given as octal escapes. */
    private static String fingerprint(BedHost host, String dir, String path) {
        return host.exec("p=\"" + dir + "/\"" + name(path) + "\n"
                + "if [ -L \"$p\" ]; then printf 'link %s %s' \"$(stat -c %u:%g \"$p\")\" \"$(readlink \"$p\")\";"
                + " elif [ -f \"$p\" ]; then printf 'file %s %s' \"$(stat -c '%u:%g %a' \"$p\")\" \"$(sha256sum < \"$p\" | cut -c1-64)\";"
                + " else printf absent; fi").stdout();
    }

    /** Writes a file of that name into $d (its name as octal escapes, so the command is plain ASCII). */
    private static String write(String fileName) {
        return "printf 'content of %s\\n' " + name(fileName) + " > \"$d/\"" + name(fileName);
    }

    /** A shell word for the name: $(printf) of its UTF-8 bytes as octal escapes, and a guard for a trailing newline. */
    private static String name(String fileName) {
        StringBuilder octal = new StringBuilder();
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            octal.append(String.format("\\%03o", b & 0xff));
        }
        return "\"$(printf '" + octal + "')\"";
    }

    private static String slug(TreeCase c) {
        return c.name().replaceAll("[^a-z]+", "-");
    }

    /** Temporary files of a push (.NAME.traefik-ha.tmp) or of rsync (.NAME.XXXXXX) on the secondary's small disk. */
    private static String leftovers() {
        return pair.secondary.exec("ls -A " + SMALL + " | grep '^\\.' || true").stdout().strip();
    }

    private static String free() {
        long bytes = Long.parseLong(pair.secondary.exec("df -P -B1 " + SMALL + " | awk 'NR == 2 { print $4 }'").stdout().strip());
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
    }

    private static String lsyncdLog() {
        return pair.primary.exec("cat /var/log/lsyncd/lsyncd.log 2>/dev/null").stdout();
    }

    /**
     * lsyncd as the operator installs it, over /etc/traefik, the full disk and a root the secondary has as a symlink.
     * Its sources must exist before it starts.
     */
    private static void installLsyncd() {
        pair.primary.exec("mkdir -p " + LINKED).orThrow("linked root");
        pair.secondary.exec("mkdir -p " + ELSEWHERE + " && rm -rf " + LINKED + " && ln -s " + ELSEWHERE + " " + LINKED)
                .orThrow("symlinked root on the secondary");
        SyncSpec spec = spec(SyncMode.Lsyncd, "/etc/traefik", LINKED, SMALL);
        SyncKeyPair key = SyncKeyPair.generate();
        LsyncdFiles files = LsyncdRenderer.render(spec, "bed", HaPair.PRIMARY_ADDRESS, HaPair.SECONDARY_ADDRESS, 22,
                LsyncdInstaller.readHostKeys(secondary), key);
        LsyncdInstaller.installOnSecondary(secondary, files, ConfigSyncE2ETest.BED_AUTHORIZED_KEYS);
        LsyncdInstaller.installOnPrimary(primary, files, key);
        assertThat(HaPair.await(BOUND, () -> lsyncdLog().contains("Startup of /etc/traefik/ "))).as(lsyncdLog()).isTrue();
    }
}
