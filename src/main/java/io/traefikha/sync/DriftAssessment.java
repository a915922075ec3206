package io.traefikha.sync;

import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether a difference between the trees is sync in progress, expected, or drift; a pure function of the two trees, the
 * previous round's {@link SyncMemory} and the clock.
 *
 * <p>Two rules make drift: the primary's tree is unchanged since the previous round, so the difference was made on the
 * secondary (lsyncd only copies what changes on the primary, and a push found nothing new to copy); or, in Lsyncd mode,
 * the difference has outlived the sync delay plus {@link #TRANSFER_ALLOWANCE}. A difference confined to ACME storage is
 * never drift: the secondary's own Traefik writes {@code acme.json} (see {@link AcmeStorage}).
 *
 * @param state          the verdict
 * @param diff           every difference
 * @param drifted        the differing paths that are drift (to report), sorted
 * @param push           whether the operator copies from the primary now (always in Push mode; in Lsyncd mode to heal
 *                       drift and to overwrite the secondary's ACME storage)
 * @param differentSince start of the current difference; null when the trees are equal
 */
public record DriftAssessment(SyncState state, TreeDiff diff, List<String> drifted, boolean push, Instant differentSince) {

    /** Time lsyncd gets beyond its delay for rsync over SSH to finish. */
    static final Duration TRANSFER_ALLOWANCE = Duration.ofSeconds(3);

    public DriftAssessment {
        drifted = List.copyOf(drifted);
    }

    public static DriftAssessment assess(SyncMode mode, Duration delay, FileTree primary, FileTree secondary,
                                         SyncMemory memory, AcmeStorage acme, Instant now) {
        TreeDiff diff = TreeDiff.compare(primary, secondary);
        if (diff.isEmpty()) {
            return new DriftAssessment(SyncState.InSync, diff, List.of(), false, null);
        }
        Instant since = memory.differentSince() != null ? memory.differentSince() : now;
        List<String> unexpected = diff.paths().stream().filter(p -> !acme.contains(p)).toList();
        if (unexpected.isEmpty()) {
            return new DriftAssessment(SyncState.Syncing, diff, List.of(), true, since);
        }
        boolean primaryChanged = !primary.aggregateHash().equals(memory.primaryHash());
        boolean withinDelay = Duration.between(since, now).compareTo(delay.plus(TRANSFER_ALLOWANCE)) <= 0;
        boolean beingSynced = primaryChanged && (mode == SyncMode.Push || withinDelay);
        if (beingSynced) {
            return new DriftAssessment(SyncState.Syncing, diff, List.of(), mode == SyncMode.Push, since);
        }
        return new DriftAssessment(SyncState.Drifted, diff, unexpected, true, since);
    }

    /** How long the secondary has been behind; zero while the trees are equal. */
    public Duration lag(Instant now) {
        return differentSince == null ? Duration.ZERO : Duration.between(differentSince, now);
    }

}
