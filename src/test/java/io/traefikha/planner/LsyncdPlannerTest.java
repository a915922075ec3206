package io.traefikha.planner;

import static io.traefikha.domain.Role.PRIMARY;
import static io.traefikha.domain.Role.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.LsyncdFacts;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.domain.Uptake;
import io.traefikha.node.LsyncdInstaller;
import io.traefikha.sync.LsyncdFiles;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LsyncdPlannerTest {

    private static final SyncKeyPair KEY = SyncKeyPair.generate();
    private static final String KEY_LINE = "from=\"10.0.0.1\",command=\"/usr/local/bin/traefik-ha-rsync-only\" "
            + KEY.publicKey();
    private static final LsyncdFiles FILES = new LsyncdFiles("settings {}\n", "[10.0.0.2]:22 ssh-ed25519 AAAA\n",
            "#!/bin/sh\n", KEY_LINE);
    private static final String AUTHORIZED_KEYS = LsyncdInstaller.ROOT_AUTHORIZED_KEYS;

    /** Everything in place: what a steady-state period sees. */
    private static LsyncdPlanner.Seen primaryInPlace() {
        return new LsyncdPlanner.Seen(new LsyncdFacts(Set.copyOf(LsyncdFacts.PACKAGES), true, true, List.of(), null),
                hashes(FILES.primaryFiles(KEY)));
    }

    private static LsyncdPlanner.Seen secondaryInPlace() {
        return new LsyncdPlanner.Seen(new LsyncdFacts(Set.of("rsync"), false, false, List.of("ssh-ed25519 AAAA"),
                LsyncdFacts.syncKeySha256(KEY_LINE)), hashes(List.of(FILES.secondaryFile())));
    }

    private static Map<String, String> hashes(List<RemoteFile> files) {
        Map<String, String> hashes = new HashMap<>();
        files.forEach(f -> hashes.put(f.path(), f.sha256()));
        return hashes;
    }

    private static LsyncdPlanner.Seen with(LsyncdPlanner.Seen seen, UnaryOperator<LsyncdFacts> facts,
            UnaryOperator<Map<String, String>> files) {
        return new LsyncdPlanner.Seen(facts.apply(seen.facts()), files.apply(new HashMap<>(seen.fileHashes())),
                seen.loadedHashes());
    }

    /** The same files on disk, and this record of what lsyncd read when it was last (re)started. */
    private static LsyncdPlanner.Seen loaded(LsyncdPlanner.Seen seen, Map<String, String> loaded) {
        return new LsyncdPlanner.Seen(seen.facts(), seen.fileHashes(), loaded);
    }

    private static LsyncdFacts stopped(LsyncdFacts f) {
        return new LsyncdFacts(f.installedPackages(), false, f.lsyncdEnabled(), f.hostKeys(), f.syncKeySha256());
    }

    private static Map<String, String> without(Map<String, String> files, String path) {
        files.remove(path);
        return files;
    }

    private static NodeAction write(Role role, String path) {
        RemoteFile file = Stream.concat(FILES.primaryFiles(KEY).stream(),
                Stream.of(FILES.secondaryFile())).filter(f -> f.path().equals(path)).findFirst().orElseThrow();
        return new NodeAction.WriteFile(role, new ManagedFile(file,
                LsyncdRenderer.LOADED.contains(path) ? Uptake.AT_LOAD : Uptake.AT_USE));
    }

    static Stream<Arguments> cases() {
        LsyncdPlanner.Seen primary = primaryInPlace();
        LsyncdPlanner.Seen secondary = secondaryInPlace();
        LsyncdFacts nothingOnPrimary = new LsyncdFacts(Set.of(), false, false, List.of(), null);
        return Stream.of(
                Arguments.of("steady state: nothing to do", primary, secondary, List.of()),
                Arguments.of("lsyncd found stopped: restarted, nothing written", with(primary, LsyncdPlannerTest::stopped,
                        f -> f), secondary, List.of(new NodeAction.RestartService(PRIMARY, "lsyncd", "it was not running"))),
                Arguments.of("written but lsyncd runs an older configuration (the operator stopped before the restart,"
                        + " or it failed): restarted, nothing written", loaded(primary,
                        Map.of(LsyncdRenderer.CONFIG_PATH, "1".repeat(64))), secondary,
                        List.of(new NodeAction.RestartService(PRIMARY, "lsyncd", NodeAction.NOT_APPLIED))),
                Arguments.of("no record of what lsyncd loaded (started by an earlier operator): restarted once",
                        loaded(primary, Map.of()), secondary,
                        List.of(new NodeAction.RestartService(PRIMARY, "lsyncd", NodeAction.NOT_APPLIED))),
                Arguments.of("the record holds the configuration only: ssh reads the key and known hosts at each use",
                        loaded(primary, Map.of(LsyncdRenderer.CONFIG_PATH,
                                primary.fileHashes().get(LsyncdRenderer.CONFIG_PATH))), secondary, List.of()),
                Arguments.of("stopped with an older configuration recorded: started once, which loads the new one",
                        with(loaded(primary, Map.of()), LsyncdPlannerTest::stopped, f -> f), secondary,
                        List.of(new NodeAction.RestartService(PRIMARY, "lsyncd", "it was not running"))),
                Arguments.of("configuration edited by hand: rewritten and restarted", with(primary, f -> f,
                        f -> { f.put(LsyncdRenderer.CONFIG_PATH, "0".repeat(64)); return f; }), secondary, List.of(
                        write(PRIMARY, LsyncdRenderer.CONFIG_PATH),
                        new NodeAction.RestartService(PRIMARY, "lsyncd", "its files changed"))),
                Arguments.of("sync key gone from the secondary: added, lsyncd not restarted", primary, with(secondary,
                        f -> new LsyncdFacts(f.installedPackages(), false, false, f.hostKeys(), LsyncdFacts.syncKeySha256("")),
                        f -> f), List.of(new NodeAction.AddSyncKey(SECONDARY, KEY_LINE))),
                Arguments.of("disabled at boot only: enabled", with(primary, f -> new LsyncdFacts(f.installedPackages(),
                        true, false, f.hostKeys(), null), f -> f), secondary,
                        List.of(new NodeAction.EnableService(PRIMARY, "lsyncd"))),
                Arguments.of("first install: secondary first, then packages, files, enable and start", with(primary,
                        f -> nothingOnPrimary, f -> Map.of()), new LsyncdPlanner.Seen(new LsyncdFacts(Set.of(), false, false,
                        List.of("ssh-ed25519 AAAA"), LsyncdFacts.syncKeySha256("")), Map.of()), List.of(
                        new NodeAction.InstallPackage(SECONDARY, "rsync"),
                        write(SECONDARY, LsyncdRenderer.RSYNC_ONLY_PATH),
                        new NodeAction.AddSyncKey(SECONDARY, KEY_LINE),
                        new NodeAction.InstallPackage(PRIMARY, "lsyncd"),
                        new NodeAction.InstallPackage(PRIMARY, "rsync"),
                        new NodeAction.InstallPackage(PRIMARY, "openssh-client"),
                        write(PRIMARY, LsyncdRenderer.KEY_PATH),
                        write(PRIMARY, LsyncdRenderer.KNOWN_HOSTS_PATH),
                        write(PRIMARY, LsyncdRenderer.CONFIG_PATH),
                        new NodeAction.EnableService(PRIMARY, "lsyncd"),
                        new NodeAction.RestartService(PRIMARY, "lsyncd", "its files changed"))),
                Arguments.of("the forced command deleted on the secondary: written again", primary, with(secondary, f -> f,
                        f -> without(f, LsyncdRenderer.RSYNC_ONLY_PATH)), List.of(write(SECONDARY, LsyncdRenderer.RSYNC_ONLY_PATH))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansOnlyWhatTheProbesShowDiffers(String name, LsyncdPlanner.Seen primary, LsyncdPlanner.Seen secondary,
            List<NodeAction> expected) {
        assertThat(LsyncdPlanner.plan(FILES, KEY, primary, Map.of(SECONDARY, secondary))).containsExactlyElementsOf(expected);
    }

    private static final Role THIRD = Role.of(2);
    /** Rendered for two secondaries: a sync per secondary in the configuration, both secondaries' host keys. */
    private static final LsyncdFiles THREE = new LsyncdFiles("settings {} -- two targets\n",
            "[10.0.0.2]:22 ssh-ed25519 AAAA\n[10.0.0.3]:22 ssh-ed25519 BBBB\n", "#!/bin/sh\n", KEY_LINE);

    private static LsyncdPlanner.Seen primaryFor(LsyncdFiles files) {
        return new LsyncdPlanner.Seen(primaryInPlace().facts(), hashes(files.primaryFiles(KEY)));
    }

    static Stream<Arguments> threeReplicas() {
        LsyncdPlanner.Seen inPlace = secondaryInPlace();
        LsyncdPlanner.Seen freshClone = new LsyncdPlanner.Seen(new LsyncdFacts(Set.of(), false, false,
                List.of("ssh-ed25519 BBBB"), LsyncdFacts.syncKeySha256("")), Map.of());
        return Stream.of(
                Arguments.of("steady state with two secondaries: nothing to do", primaryFor(THREE),
                        Map.of(SECONDARY, inPlace, THIRD, inPlace), List.of()),
                Arguments.of("a second secondary joins a pair: its footing first, then the primary's known hosts and"
                        + " configuration for two targets, and lsyncd restarted", primaryFor(FILES),
                        Map.of(SECONDARY, inPlace, THIRD, freshClone), List.of(
                                new NodeAction.InstallPackage(THIRD, "rsync"),
                                write(THIRD, LsyncdRenderer.RSYNC_ONLY_PATH),
                                new NodeAction.AddSyncKey(THIRD, KEY_LINE),
                                new NodeAction.WriteFile(PRIMARY, new ManagedFile(THREE.primaryFiles(KEY).get(1), Uptake.AT_USE)),
                                new NodeAction.WriteFile(PRIMARY, new ManagedFile(THREE.primaryFiles(KEY).get(2), Uptake.AT_LOAD)),
                                new NodeAction.RestartService(PRIMARY, "lsyncd", "its files changed"))),
                Arguments.of("the sync key gone from one secondary: added there alone", primaryFor(THREE),
                        Map.of(SECONDARY, inPlace, THIRD, with(inPlace, f -> new LsyncdFacts(f.installedPackages(), false,
                                false, f.hostKeys(), LsyncdFacts.syncKeySha256("")), f -> f)),
                        List.of(new NodeAction.AddSyncKey(THIRD, KEY_LINE))),
                Arguments.of("both secondaries fresh: each one's footing, in role order, before the primary's",
                        primaryFor(THREE), Map.of(THIRD, freshClone, SECONDARY, freshClone), List.of(
                                new NodeAction.InstallPackage(SECONDARY, "rsync"),
                                write(SECONDARY, LsyncdRenderer.RSYNC_ONLY_PATH),
                                new NodeAction.AddSyncKey(SECONDARY, KEY_LINE),
                                new NodeAction.InstallPackage(THIRD, "rsync"),
                                write(THIRD, LsyncdRenderer.RSYNC_ONLY_PATH),
                                new NodeAction.AddSyncKey(THIRD, KEY_LINE))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threeReplicas")
    void plansEverySecondaryOfThree(String name, LsyncdPlanner.Seen primary, Map<Role, LsyncdPlanner.Seen> secondaries,
            List<NodeAction> expected) {
        assertThat(LsyncdPlanner.plan(THREE, KEY, primary, secondaries)).containsExactlyElementsOf(expected);
    }

    @Test
    void theOutcomeNamesTheWrittenFilesAndARestartLikeTheInstallers() {
        List<NodeAction> firstInstall = List.of(write(SECONDARY, LsyncdRenderer.RSYNC_ONLY_PATH),
                new NodeAction.AddSyncKey(SECONDARY, KEY_LINE), write(PRIMARY, LsyncdRenderer.CONFIG_PATH),
                new NodeAction.RestartService(PRIMARY, "lsyncd", "its files changed"));

        assertThat(LsyncdPlanner.outcome(firstInstall, AUTHORIZED_KEYS)).isEqualTo(new LsyncdOutcome(List.of(
                LsyncdRenderer.RSYNC_ONLY_PATH, AUTHORIZED_KEYS, LsyncdRenderer.CONFIG_PATH), true));
        assertThat(LsyncdPlanner.outcome(List.of(new NodeAction.RestartService(PRIMARY, "lsyncd", "it was not running")),
                AUTHORIZED_KEYS).repaired()).isTrue();
        assertThat(LsyncdPlanner.outcome(List.of(), AUTHORIZED_KEYS)).isEqualTo(new LsyncdOutcome(List.of(), false));
        assertThat(LsyncdPlanner.outcome(List.of(new NodeAction.RestartService(PRIMARY, "lsyncd", NodeAction.NOT_APPLIED)),
                AUTHORIZED_KEYS)).as("restarted to take up what is written: not a repair of a stopped lsyncd")
                .isEqualTo(new LsyncdOutcome(List.of(), true, true)).extracting(LsyncdOutcome::repaired).isEqualTo(false);
    }

    @Test
    void ofTwoFreshSecondariesTheOutcomeNamesEachFileOnce() {
        Map<Role, LsyncdPlanner.Seen> fresh = Map.of(SECONDARY, new LsyncdPlanner.Seen(new LsyncdFacts(Set.of("rsync"),
                false, false, List.of("ssh-ed25519 AAAA"), LsyncdFacts.syncKeySha256("")), Map.of()),
                THIRD, new LsyncdPlanner.Seen(new LsyncdFacts(Set.of("rsync"), false, false, List.of("ssh-ed25519 BBBB"),
                        LsyncdFacts.syncKeySha256("")), Map.of()));

        LsyncdOutcome outcome = LsyncdPlanner.outcome(LsyncdPlanner.plan(THREE, KEY, primaryFor(THREE), fresh),
                AUTHORIZED_KEYS);

        assertThat(outcome.changedFiles()).containsExactly(LsyncdRenderer.RSYNC_ONLY_PATH, AUTHORIZED_KEYS);
    }
}
