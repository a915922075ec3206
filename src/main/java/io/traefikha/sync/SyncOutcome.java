package io.traefikha.sync;

import io.traefikha.api.v1alpha1.SyncStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One sync round, for the reconciler: {@link #toStatus()} is {@code status.sync}, {@link #configInSync()} the condition
 * ConfigInSync, {@link #driftEvent()} the Event, {@link #lag()} and {@link #drifted()} the metrics; {@link #memory()}
 * is what the next round needs (it is inside the status too).
 *
 * @param state         the round's verdict; Drifted stays for this round even though the push healed it, so the drift
 *                      is reported once
 * @param primaryHash   the primary's tree hash (the probe's config_hash); null when sync is Off
 * @param secondaryHash the secondary's tree hash after this round's push
 * @param outOfSync     paths that differed when the round began (all of them; the status lists at most 20)
 * @param drifted       of those, the ones that were drift
 * @param push          what the push did; null when the operator did not push
 * @param staticConfigChanged static configuration files on the primary when it differs from what the Traefiks were
 *                      restarted with and both nodes have it: the reconciler rolls a restart over both nodes
 *                      (RollingPlanner) and, once it succeeded, records {@code staticConfigHash()} as applied
 * @param staticConfigHash {@link FileTree#hashOf} the primary's static configuration files
 * @param lag           how long the secondary has been behind at the end of the round (zero when equal)
 * @param refused       what either node's tree refuses ({@link FileTree#refused()}), each naming the node and path
 */
public record SyncOutcome(SyncState state, String primaryHash, String secondaryHash, List<String> outOfSync,
                          List<String> drifted, PushResult push, List<String> staticConfigChanged,
                          String staticConfigHash, Duration lag, SyncMemory memory, List<String> refused) {

    static final int STATUS_LIST_LIMIT = 20;

    public SyncOutcome {
        outOfSync = List.copyOf(outOfSync);
        drifted = List.copyOf(drifted);
        staticConfigChanged = List.copyOf(staticConfigChanged);
        refused = List.copyOf(refused);
    }

    public static SyncOutcome off() {
        return new SyncOutcome(SyncState.Off, null, null, List.of(), List.of(), null, List.of(), null, Duration.ZERO,
                SyncMemory.EMPTY, List.of());
    }

    public SyncStatus toStatus() {
        SyncStatus status = new SyncStatus();
        status.state = state.name();
        status.primaryHash = primaryHash;
        status.secondaryHash = secondaryHash;
        status.lastSync = memory.lastSync() == null ? null : memory.lastSync().toString();
        status.differentSince = memory.differentSince() == null ? null : memory.differentSince().toString();
        status.appliedStaticConfigHash = memory.appliedStaticHash();
        status.outOfSync = outOfSync.stream().limit(STATUS_LIST_LIMIT).toList();
        return status;
    }

    /**
     * ConfigInSync: true unless something is not on the secondary that should be. In order of what to fix first: the
     * secondary lacks space, something is refused (a symlinked synced root), drift was found this round, files could not
     * be copied.
     */
    public Condition configInSync() {
        List<PushResult.NotCopied> notCopied = push == null ? List.of() : push.notCopied();
        List<PushResult.NotCopied> noSpace = notCopied.stream().filter(PushResult.NotCopied::forLackOfSpace).toList();
        if (!noSpace.isEmpty()) {
            return new Condition(false, "InsufficientSpace", push.secondary() + " has too little space: " + join(noSpace)
                    + (notCopied.size() == noSpace.size() ? "; everything else was copied" : "; also not copied: "
                    + join(notCopied.stream().filter(n -> !n.forLackOfSpace()).toList())));
        }
        if (!refused.isEmpty()) {
            return new Condition(false, "Refused", "not synced: " + String.join("; ", refused));
        }
        if (state == SyncState.Drifted) {
            return new Condition(false, "Drifted", driftEvent().orElseThrow());
        }
        if (!notCopied.isEmpty()) {
            return new Condition(false, "NotCopied", push.secondary() + " did not take " + join(notCopied));
        }
        return switch (state) {
            case InSync -> new Condition(true, "InSync", "the secondary's files equal the primary's");
            case Syncing -> new Condition(true, "Syncing", "copying to the secondary: " + join(outOfSync));
            case Off -> new Condition(true, "Off", "sync.mode is Off");
            case Drifted, Blocked -> throw new AssertionError("handled above");
        };
    }

    /** The Warning Event's message when drift was found, naming the files. */
    public Optional<String> driftEvent() {
        if (drifted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(drifted.size() + " file(s) on the secondary differed from the primary beyond the sync delay"
                + (push != null ? " and were restored from the primary" : "") + ": " + join(drifted));
    }

    private static String join(List<?> paths) {
        String listed = String.join(", ", paths.stream().limit(STATUS_LIST_LIMIT).map(Object::toString).toList());
        return paths.size() > STATUS_LIST_LIMIT ? listed + " and " + (paths.size() - STATUS_LIST_LIMIT) + " more" : listed;
    }

    /** A condition as the reconciler sets it (status True/False, reason, message). */
    public record Condition(boolean status, String reason, String message) {
    }
}
