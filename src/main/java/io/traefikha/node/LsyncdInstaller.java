package io.traefikha.node;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.domain.LsyncdFacts;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.sync.LsyncdFiles;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.traefikha.domain.Shell;

/**
 * Brings the primary and every secondary to {@link LsyncdFiles}, idempotently: installs only missing packages, writes only files that differ,
 * restarts lsyncd only when its files changed (lsyncd has no reload) and starts it when it is not running. Run the
 * secondaries first, so that lsyncd's first full sync finds the key accepted.
 */
public final class LsyncdInstaller {

    /** Where Debian's sshd looks for root's keys; the test bed's sshd uses another file. */
    public static final String ROOT_AUTHORIZED_KEYS = "/root/.ssh/authorized_keys";

    /** The packages lsyncd needs on the primary (the secondary needs rsync only). */
    public static final List<String> PRIMARY_PACKAGES = LsyncdFacts.PACKAGES;

    private static final String LSYNCD = "lsyncd";
    /** lsyncd logs under /var/log/lsyncd; the sync key's directory is root's alone. */
    private static final String PREPARE_DIRECTORIES = "mkdir -p /var/log/lsyncd && chmod 700 /etc/traefik-ha/sync";

    private LsyncdInstaller() {
    }

    /**
     * One round in Lsyncd mode: the secondaries first (their key must be accepted before lsyncd's first full sync), then
     * the primary, rendered from the spec, the nodes' addresses and the secondaries' host keys as read now.
     *
     * @param secondaries every secondary's session, in role order
     */
    public static LsyncdOutcome ensure(NodeSession primary, Map<Role, NodeSession> secondaries, SyncSpec spec,
                                 String clusterName, SyncKeyPair key, String authorizedKeysFile) {
        List<LsyncdRenderer.Target> targets = secondaries.values().stream().map(secondary -> new LsyncdRenderer.Target(
                secondary.endpoint().host(), secondary.endpoint().port(), readHostKeys(secondary))).toList();
        LsyncdFiles files = LsyncdRenderer.render(spec, clusterName, primary.endpoint().host(), targets, key);
        LsyncdOutcome outcome = new LsyncdOutcome(List.of(), false);
        for (NodeSession secondary : secondaries.values()) {
            outcome = outcome.and(installOnSecondary(secondary, files, authorizedKeysFile));
        }
        return outcome.and(installOnPrimary(primary, files, key));
    }

    /** The secondary's host keys ("type base64" lines) for {@link LsyncdRenderer#render}. */
    public static List<String> readHostKeys(NodeSession secondary) {
        String keys = secondary.run("cat /etc/ssh/ssh_host_*_key.pub").orThrow("reading the host keys of " + secondary.endpoint())
                .stdout();
        return keys.lines().map(line -> line.split(" ")).filter(words -> words.length >= 2)
                .map(words -> words[0] + " " + words[1]).toList();
    }

    /** rsync and the forced command, and the sync key in authorized_keys (replacing an earlier sync key, keeping the rest). */
    public static LsyncdOutcome installOnSecondary(NodeSession secondary, LsyncdFiles files, String authorizedKeysFile) {
        secondary.ensurePackage("rsync");
        List<String> changed = new ArrayList<>();
        if (secondary.uploadKeepingOriginal(files.secondaryFile())) {
            changed.add(LsyncdRenderer.RSYNC_ONLY_PATH);
        }
        if (addSyncKey(secondary, files.authorizedKeyLine(), authorizedKeysFile)) {
            changed.add(authorizedKeysFile);
        }
        return new LsyncdOutcome(changed, false);
    }

    /** lsyncd, rsync and ssh; the private key, the secondary's host keys and the configuration; lsyncd enabled and running. */
    public static LsyncdOutcome installOnPrimary(NodeSession primary, LsyncdFiles files, SyncKeyPair key) {
        for (String debianPackage : PRIMARY_PACKAGES) {
            primary.ensurePackage(debianPackage);
        }
        List<String> changed = files.primaryFiles(key).stream().filter(primary::uploadKeepingOriginal).map(RemoteFile::path)
                .toList();
        primary.run(PREPARE_DIRECTORIES + " && { systemctl is-enabled --quiet lsyncd || systemctl enable lsyncd; }")
                .orThrow("enabling lsyncd on " + primary.endpoint());
        String state = primary.run(LoadRecords.state(LSYNCD)).orThrow("asking lsyncd's state on " + primary.endpoint())
                .stdout().strip();
        boolean notApplied = changed.isEmpty() && state.equals("stale");
        boolean restart = !changed.isEmpty() || !state.equals("current");
        if (restart) {
            restartOnPrimary(primary);
        }
        return new LsyncdOutcome(changed, restart, notApplied);
    }

    /** lsyncd (re)started with its directories in place (lsyncd has no reload), what it loaded recorded. */
    public static void restartOnPrimary(NodeSession primary) {
        primary.run(PREPARE_DIRECTORIES + " || exit 1\n" + LoadRecords.control("restart", LSYNCD))
                .orThrow("starting lsyncd on " + primary.endpoint());
    }

    /** The sync key in authorized_keys, replacing an earlier sync key and keeping the rest; true when it was written. */
    public static boolean addSyncKey(NodeSession secondary, String syncKeyLine, String authorizedKeysFile) {
        String current = readAuthorizedKeys(secondary, authorizedKeysFile);
        return secondary.uploadKeepingOriginal(RemoteFile.rootOwned(authorizedKeysFile, withSyncKey(current, syncKeyLine), 0600));
    }

    /** When sync leaves Lsyncd mode: lsyncd stopped and disabled (its files stay, harmless without the daemon). */
    public static void stopOnPrimary(NodeSession primary) {
        primary.run("if command -v lsyncd >/dev/null; then systemctl stop lsyncd; systemctl disable lsyncd; fi; "
                + LoadRecords.forget(LSYNCD)).orThrow("stopping lsyncd on " + primary.endpoint());
    }

    /** Rollback: the sync key out of authorized_keys, every other key kept. */
    public static void removeFromSecondary(NodeSession secondary, String authorizedKeysFile) {
        String current = readAuthorizedKeys(secondary, authorizedKeysFile);
        String without = withoutSyncKey(current);
        if (!without.equals(current)) {
            secondary.upload(RemoteFile.rootOwned(authorizedKeysFile, without, 0600));
        }
    }

    private static String readAuthorizedKeys(NodeSession node, String authorizedKeysFile) {
        return node.run("cat " + Shell.quote(authorizedKeysFile) + " 2>/dev/null || true")
                .orThrow("reading " + authorizedKeysFile + " on " + node.endpoint()).stdout();
    }

    /** The authorized_keys content with exactly one sync key line: the given one, wherever an earlier one was. */
    static String withSyncKey(String authorizedKeys, String syncKeyLine) {
        List<String> kept = otherKeys(authorizedKeys);
        kept.add(syncKeyLine.strip());
        return String.join("\n", kept) + "\n";
    }

    /** The authorized_keys content without any sync key line (unchanged when it has none). */
    static String withoutSyncKey(String authorizedKeys) {
        if (authorizedKeys.lines().noneMatch(LsyncdInstaller::isSyncKey)) {
            return authorizedKeys;
        }
        List<String> kept = otherKeys(authorizedKeys);
        return kept.isEmpty() ? "" : String.join("\n", kept) + "\n";
    }

    private static boolean isSyncKey(String line) {
        return line.strip().endsWith(" " + SyncKeyPair.COMMENT);
    }

    private static List<String> otherKeys(String authorizedKeys) {
        return Arrays.stream(authorizedKeys.split("\n"))
                .filter(line -> !line.isBlank() && !isSyncKey(line))
                .collect(Collectors.toCollection(ArrayList::new));
    }
}
