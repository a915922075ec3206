package io.traefikha.planner;

import io.traefikha.domain.LsyncdFacts;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.domain.Uptake;
import io.traefikha.sync.LsyncdFiles;
import io.traefikha.sync.LsyncdRenderer;
import io.traefikha.sync.SyncKeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Lsyncd mode from the probes alone: what a full install (node.LsyncdInstaller) would do, as actions, only for what the probes
 * show differs, so a period in which nothing changed costs no round trip beyond the probes. The secondaries' actions
 * come first: their key must be accepted before lsyncd's first full sync.
 */
public final class LsyncdPlanner {

    private LsyncdPlanner() {
    }

    /**
     * One node's probe as far as lsyncd is concerned.
     *
     * @param facts        packages, service state, host keys and the sync key lines
     * @param fileHashes   SHA-256 of the lsyncd files that exist, by path
     * @param loadedHashes SHA-256 of the files lsyncd read when the operator last (re)started it, by path (the node's
     *                     record; empty without one)
     */
    public record Seen(LsyncdFacts facts, Map<String, String> fileHashes, Map<String, String> loadedHashes) {
        public Seen {
            Objects.requireNonNull(facts, "facts");
            fileHashes = Map.copyOf(fileHashes);
            loadedHashes = Map.copyOf(loadedHashes);
        }

        /** lsyncd running what is on disk (its last start read the files as they are now). */
        public Seen(LsyncdFacts facts, Map<String, String> fileHashes) {
            this(facts, fileHashes, fileHashes);
        }
    }

    /**
     * @param files       rendered with every secondary's host keys as its probe reported them; the probes report the
     *                    hashes of {@link LsyncdFiles#probedPaths}
     * @param primary     the primary's probe
     * @param secondaries each secondary's probe, by role: each is a target of lsyncd on the primary
     */
    public static List<NodeAction> plan(LsyncdFiles files, SyncKeyPair key, Seen primary, Map<Role, Seen> secondaries) {
        List<NodeAction> actions = new ArrayList<>();
        new TreeMap<>(secondaries).forEach((role, secondary) -> {
            if (!secondary.facts().installedPackages().contains("rsync")) {
                actions.add(new NodeAction.InstallPackage(role, "rsync"));
            }
            actions.addAll(writes(role, List.of(files.secondaryFile()), secondary));
            if (!LsyncdFacts.syncKeySha256(files.authorizedKeyLine()).equals(secondary.facts().syncKeySha256())) {
                actions.add(new NodeAction.AddSyncKey(role, files.authorizedKeyLine()));
            }
        });

        LsyncdFacts.PACKAGES.stream().filter(p -> !primary.facts().installedPackages().contains(p))
                .forEach(p -> actions.add(new NodeAction.InstallPackage(Role.PRIMARY, p)));
        List<NodeAction> primaryWrites = writes(Role.PRIMARY, files.primaryFiles(key), primary);
        actions.addAll(primaryWrites);
        if (!primary.facts().lsyncdEnabled()) {
            actions.add(new NodeAction.EnableService(Role.PRIMARY, RollbackPlanner.LSYNCD));
        }
        if (!primaryWrites.isEmpty()) {
            actions.add(new NodeAction.RestartService(Role.PRIMARY, RollbackPlanner.LSYNCD, "its files changed"));
        } else if (!primary.facts().lsyncdActive()) {
            actions.add(new NodeAction.RestartService(Role.PRIMARY, RollbackPlanner.LSYNCD, "it was not running"));
        } else if (files.primaryFiles(key).stream().map(LsyncdPlanner::managed)
                .anyMatch(file -> !file.appliedBy(primary.loadedHashes()))) {
            // written is not applied: the operator stopped between writing and restarting, or the restart failed
            actions.add(new NodeAction.RestartService(Role.PRIMARY, RollbackPlanner.LSYNCD, NodeAction.NOT_APPLIED));
        }
        return actions;
    }

    private static List<NodeAction> writes(Role role, List<RemoteFile> wanted, Seen seen) {
        return wanted.stream().filter(file -> !file.sha256().equals(seen.fileHashes().get(file.path())))
                .<NodeAction>map(file -> new NodeAction.WriteFile(role, managed(file))).toList();
    }

    /** lsyncd reads its configuration when it starts; ssh reads the key and known hosts, sshd runs the forced command, at each use. */
    private static ManagedFile managed(RemoteFile file) {
        return new ManagedFile(file, LsyncdRenderer.LOADED.contains(file.path()) ? Uptake.AT_LOAD : Uptake.AT_USE);
    }

    /** The files the actions write (the authorized_keys file for the sync key), in order: the installer's outcome. */
    public static LsyncdOutcome outcome(List<NodeAction> actions, String authorizedKeysFile) {
        List<String> changed = actions.stream().flatMap(action -> {
            if (action instanceof NodeAction.WriteFile write) {
                return Stream.of(write.file().path());
            }
            return action instanceof NodeAction.AddSyncKey ? Stream.of(authorizedKeysFile) : Stream.empty();
        }).toList();
        return new LsyncdOutcome(changed, actions.stream().anyMatch(a -> a instanceof NodeAction.RestartService),
                actions.stream().anyMatch(NodeAction::appliesWritten));
    }
}
