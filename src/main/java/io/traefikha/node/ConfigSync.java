package io.traefikha.node;

import io.traefikha.api.v1alpha1.Durations;
import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.sync.AcmeStorage;
import io.traefikha.sync.DriftAssessment;
import io.traefikha.sync.FileTree;
import io.traefikha.sync.PushResult;
import io.traefikha.sync.StaticConfig;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import io.traefikha.sync.SyncState;
import io.traefikha.sync.TreeDiff;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One verification round, called by the reconciler every period with a session to each node: takes both trees from the
 * probes (or lists them, one round trip each), decides with {@link DriftAssessment}, pushes when needed and lists the
 * secondary again to confirm.
 * Lsyncd itself is installed by {@link LsyncdInstaller}; a static configuration change becomes a rolling restart (reconciler.plan.RollingPlanner).
 */
public final class ConfigSync {

    private ConfigSync() {
    }

    /**
     * @param acmeStorage storage paths the static configuration names ({@link StaticConfig#acmeStorage()}), besides
     *                    every {@code acme.json}
     */
    public static SyncOutcome round(NodeSession primary, NodeSession secondary, SyncSpec spec, SyncMemory memory,
                                    Set<String> acmeStorage, Instant now) {
        if (spec.mode == SyncMode.Off) {
            return SyncOutcome.off();
        }
        return round(primary, secondary, spec, memory, acmeStorage, now, primary.listFiles(spec.paths, spec.exclude),
                secondary.listFiles(spec.paths, spec.exclude));
    }

    /**
     * The round with both trees as this reconcile's probes listed them: no round trip at all unless they differ and
     * the assessment pushes (then the copy, and one listing of the secondary to confirm).
     */
    public static SyncOutcome round(NodeSession primary, NodeSession secondary, SyncSpec spec, SyncMemory memory,
                                    Set<String> acmeStorage, Instant now, FileTree primaryTree, FileTree probedSecondary) {
        if (spec.mode == SyncMode.Off) {
            return SyncOutcome.off();
        }
        FileTree secondaryTree = probedSecondary;
        DriftAssessment assessment = DriftAssessment.assess(spec.mode, Durations.parse(spec.delay), primaryTree,
                secondaryTree, memory, new AcmeStorage(acmeStorage), now);

        PushResult push = null;
        if (assessment.push()) {
            push = ConfigPush.apply(primary, secondary, spec.paths, primaryTree, assessment.diff());
            secondaryTree = secondary.listFiles(spec.paths, spec.exclude);
        }
        List<String> refused = Stream.concat(refusals("the primary", primary, primaryTree),
                refusals("the secondary", secondary, secondaryTree)).toList();
        Set<String> notCopied = push == null ? Set.of()
                : push.notCopied().stream().map(PushResult.NotCopied::path).collect(Collectors.toSet());
        // what could not be copied was not restored: the drift Event names only what was
        List<String> drifted = assessment.drifted().stream().filter(p -> !notCopied.contains(p)).toList();
        SyncState state = refused.isEmpty() && notCopied.isEmpty() ? assessment.state() : SyncState.Blocked;
        boolean equalNow = TreeDiff.compare(primaryTree, secondaryTree).isEmpty();
        Instant differentSince = equalNow ? null : assessment.differentSince();

        List<String> staticPaths = StaticConfig.paths(spec.paths, spec.staticConfig);
        String staticHash = primaryTree.hashOf(staticPaths);
        // First sight: whatever runs now is taken as applied, so an operator start never restarts Traefik.
        String applied = memory.appliedStaticHash() == null ? staticHash : memory.appliedStaticHash();
        List<String> staticChanged = equalNow && !staticHash.equals(applied)
                ? staticPaths.stream().filter(p -> primaryTree.get(p).isPresent()).toList() : List.of();

        SyncMemory next = new SyncMemory(primaryTree.aggregateHash(), differentSince, equalNow ? now : memory.lastSync(),
                applied);
        return new SyncOutcome(state, primaryTree.aggregateHash(), secondaryTree.aggregateHash(),
                assessment.diff().paths(), drifted, push, staticChanged, staticHash,
                equalNow ? Duration.ZERO : Duration.between(differentSince, now), next, refused);
    }

    /** "the primary 192.168.1.110: /etc/traefik: the synced root is a symlink ..." for each refused path. */
    private static Stream<String> refusals(String role, NodeSession node, FileTree tree) {
        return tree.refused().entrySet().stream()
                .map(e -> role + " " + node.endpoint().host() + ": " + e.getKey() + ": " + e.getValue());
    }
}
