package io.traefikha.sync;

import io.traefikha.api.v1alpha1.SyncStatus;
import io.traefikha.domain.Role;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one sync round leaves for the next, kept in {@code status.sync} so an operator restart does not lose it.
 *
 * @param primaryHash        the primary's tree hash last round; an unchanged hash means a difference did not come from
 *                           the primary
 * @param differentSince     when the trees were first seen different in the current episode; null while equal
 * @param lastSync           when they were last seen equal; null if never
 * @param appliedStaticHash  {@link FileTree#hashOf} of the static configuration that both Traefiks run with; null when
 *                           not known yet (then the current one is taken as applied: no restart on operator start)
 * @param behindSince        with more than one secondary, since when each secondary that differs has differed (its
 *                           own episode, so one that lags long does not make another's fresh difference look old);
 *                           empty for a pair, whose episode is {@code differentSince}
 */
public record SyncMemory(String primaryHash, Instant differentSince, Instant lastSync, String appliedStaticHash,
                         Map<Role, Instant> behindSince) {

    public static final SyncMemory EMPTY = new SyncMemory(null, null, null, null);

    public SyncMemory {
        behindSince = Map.copyOf(behindSince);
    }

    /** One secondary's memory (a pair's, or one secondary's part of several). */
    public SyncMemory(String primaryHash, Instant differentSince, Instant lastSync, String appliedStaticHash) {
        this(primaryHash, differentSince, lastSync, appliedStaticHash, Map.of());
    }

    public static SyncMemory from(SyncStatus status) {
        if (status == null) {
            return EMPTY;
        }
        Map<Role, Instant> behind = new TreeMap<>();
        if (status.behind != null) {
            status.behind.forEach((label, since) -> replica(label).ifPresent(role -> behind.put(role, instant(since))));
        }
        return new SyncMemory(status.primaryHash, instant(status.differentSince), instant(status.lastSync),
                status.appliedStaticConfigHash, behind);
    }

    public SyncMemory withAppliedStaticHash(String hash) {
        return new SyncMemory(primaryHash, differentSince, lastSync, hash, behindSince);
    }

    /**
     * What one of several secondaries' round needs: its own episode; without one recorded per secondary (a status an
     * operator for a pair wrote) the shared one.
     */
    public SyncMemory of(Role secondary) {
        Instant since = behindSince.isEmpty() ? differentSince : behindSince.get(secondary);
        return new SyncMemory(primaryHash, since, lastSync, appliedStaticHash);
    }

    /** A label the status does not know (edited by hand) is left out: that secondary's episode starts again. */
    private static Optional<Role> replica(String label) {
        try {
            return Optional.of(Role.fromLabel(label));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Instant instant(String text) {
        return text == null || text.isBlank() ? null : Instant.parse(text);
    }
}
