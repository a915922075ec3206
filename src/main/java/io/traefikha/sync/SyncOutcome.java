package io.traefikha.sync;

import io.traefikha.api.v1alpha1.SyncStatus;
import io.traefikha.domain.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

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
 * @param secondaries   with more than one secondary, each one's own round ({@link #combine}); empty for a pair
 */
public record SyncOutcome(SyncState state, String primaryHash, String secondaryHash, List<String> outOfSync,
                          List<String> drifted, PushResult push, List<String> staticConfigChanged,
                          String staticConfigHash, Duration lag, SyncMemory memory, List<String> refused,
                          Map<Role, SyncOutcome> secondaries) {

    static final int STATUS_LIST_LIMIT = 20;
    /** The states from the worst: what the combined round of several secondaries reports. */
    private static final List<SyncState> WORST_FIRST = List.of(SyncState.Blocked, SyncState.Drifted,
            SyncState.Unreachable, SyncState.Syncing, SyncState.InSync, SyncState.Off);

    public SyncOutcome {
        outOfSync = List.copyOf(outOfSync);
        drifted = List.copyOf(drifted);
        staticConfigChanged = List.copyOf(staticConfigChanged);
        refused = List.copyOf(refused);
        secondaries = new TreeMap<>(secondaries);
    }

    /** One secondary's round. */
    public SyncOutcome(SyncState state, String primaryHash, String secondaryHash, List<String> outOfSync,
                       List<String> drifted, PushResult push, List<String> staticConfigChanged, String staticConfigHash,
                       Duration lag, SyncMemory memory, List<String> refused) {
        this(state, primaryHash, secondaryHash, outOfSync, drifted, push, staticConfigChanged, staticConfigHash, lag,
                memory, refused, Map.of());
    }

    /**
     * The rounds of several secondaries as one: InSync only when every secondary is, else the worst state; ConfigInSync
     * and the drift Event name the secondary they are about; {@code status.sync.behind} lists each one that differs.
     * The static configuration counts as changed only once every secondary has it. One secondary's round is returned
     * as it is, so a pair reports as before, unless that secondary did not answer ({@link #unreachable}): then it is
     * named as of several.
     *
     * @param bySecondary each secondary's round, run with {@link SyncMemory#of} its role
     * @param before      the memory all of them began with
     */
    public static SyncOutcome combine(Map<Role, SyncOutcome> bySecondary, SyncMemory before) {
        if (bySecondary.size() == 1 && bySecondary.values().iterator().next().state() != SyncState.Unreachable) {
            return bySecondary.values().iterator().next();
        }
        List<SyncOutcome> all = List.copyOf(new TreeMap<>(bySecondary).values());
        // the hashes of the primary come from a secondary's round that compared the trees, when one did
        SyncOutcome first = all.stream().filter(o -> o.state() != SyncState.Unreachable).findFirst().orElse(all.get(0));
        Map<Role, Instant> behind = new TreeMap<>();
        bySecondary.forEach((role, outcome) -> {
            if (outcome.memory().differentSince() != null) {
                behind.put(role, outcome.memory().differentSince());
            }
        });
        boolean allEqual = behind.isEmpty() && all.stream().noneMatch(o -> o.state() == SyncState.Unreachable);
        SyncOutcome lagging = behind.isEmpty() ? first : bySecondary.get(behind.keySet().iterator().next());
        SyncState state = WORST_FIRST.stream().filter(s -> all.stream().anyMatch(o -> o.state() == s)).findFirst()
                .orElseThrow();
        SyncMemory memory = new SyncMemory(first.memory().primaryHash(),
                behind.values().stream().min(Comparator.naturalOrder()).orElse(null),
                allEqual ? first.memory().lastSync() : before.lastSync(), first.memory().appliedStaticHash(), behind);
        return new SyncOutcome(state, first.primaryHash(), lagging.secondaryHash(), union(all, SyncOutcome::outOfSync),
                union(all, SyncOutcome::drifted), null, allEqual ? first.staticConfigChanged() : List.of(),
                first.staticConfigHash(), all.stream().map(SyncOutcome::lag).max(Comparator.naturalOrder()).orElseThrow(),
                memory, union(all, SyncOutcome::refused), bySecondary);
    }

    private static List<String> union(List<SyncOutcome> outcomes, Function<SyncOutcome, List<String>> list) {
        return outcomes.stream().flatMap(o -> list.apply(o).stream()).distinct().toList();
    }

    /**
     * The round of a secondary that did not answer: nothing compared or copied, its memory (how long it has been
     * behind) kept as it was.
     *
     * @param memory {@link SyncMemory#of} that secondary
     */
    public static SyncOutcome unreachable(SyncMemory memory) {
        return new SyncOutcome(SyncState.Unreachable, memory.primaryHash(), null, List.of(), List.of(), null, List.of(),
                null, Duration.ZERO, memory, List.of());
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
        if (!memory.behindSince().isEmpty()) {
            status.behind = new TreeMap<>();
            memory.behindSince().forEach((role, since) -> status.behind.put(role.label(), since.toString()));
        }
        return status;
    }

    /**
     * ConfigInSync: true unless something is not on the secondary that should be. In order of what to fix first: the
     * secondary lacks space, something is refused (a symlinked synced root), drift was found this round, files could not
     * be copied.
     */
    public Condition configInSync() {
        if (!secondaries.isEmpty()) {
            return configInSyncOfEach();
        }
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
            case Unreachable -> new Condition(false, "Unreachable", "not reachable, so its files were not compared");
            case Drifted, Blocked -> throw new AssertionError("handled above");
        };
    }

    /**
     * Several secondaries: every secondary that is not in sync, each named (the reason is the first one's), else the
     * ones still being copied to, else all in sync.
     */
    private Condition configInSyncOfEach() {
        Map<Role, Condition> failing = new TreeMap<>();
        secondaries.forEach((role, outcome) -> {
            Condition condition = outcome.configInSync();
            if (!condition.status()) {
                failing.put(role, condition);
            }
        });
        if (!failing.isEmpty()) {
            return new Condition(false, failing.values().iterator().next().reason(), failing.entrySet().stream()
                    .map(e -> "the " + e.getKey().label() + ": " + e.getValue().message()).collect(Collectors.joining("; ")));
        }
        if (state == SyncState.Off) {
            return new Condition(true, "Off", "sync.mode is Off");
        }
        List<String> syncing = secondaries.entrySet().stream().filter(e -> e.getValue().state() == SyncState.Syncing)
                .map(e -> e.getKey().label()).toList();
        if (!syncing.isEmpty()) {
            return new Condition(true, "Syncing", "copying to the " + String.join(", the ", syncing) + ": "
                    + join(outOfSync));
        }
        return new Condition(true, "InSync", "the files of every secondary (" + secondaries.keySet().stream()
                .map(Role::label).collect(Collectors.joining(", ")) + ") equal the primary's");
    }

    /** The Warning Event's message when drift was found, naming the files (and, of several secondaries, which). */
    public Optional<String> driftEvent() {
        if (!secondaries.isEmpty()) {
            String each = secondaries.entrySet().stream().flatMap(e -> e.getValue().driftEvent().stream()
                    .map(message -> "the " + e.getKey().label() + ": " + message)).collect(Collectors.joining("; "));
            return each.isEmpty() ? Optional.empty() : Optional.of(each);
        }
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
