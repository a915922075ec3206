package io.traefikha.sync;

import io.traefikha.api.v1alpha1.SyncStatus;
import java.time.Instant;

/**
 * What one sync round leaves for the next, kept in {@code status.sync} so an operator restart does not lose it.
 *
 * @param primaryHash        the primary's tree hash last round; an unchanged hash means a difference did not come from
 *                           the primary
 * @param differentSince     when the trees were first seen different in the current episode; null while equal
 * @param lastSync           when they were last seen equal; null if never
 * @param appliedStaticHash  {@link FileTree#hashOf} of the static configuration that both Traefiks run with; null when
 *                           not known yet (then the current one is taken as applied: no restart on operator start)
 */
public record SyncMemory(String primaryHash, Instant differentSince, Instant lastSync, String appliedStaticHash) {

    public static final SyncMemory EMPTY = new SyncMemory(null, null, null, null);

    public static SyncMemory from(SyncStatus status) {
        if (status == null) {
            return EMPTY;
        }
        return new SyncMemory(status.primaryHash, instant(status.differentSince), instant(status.lastSync),
                status.appliedStaticConfigHash);
    }

    public SyncMemory withAppliedStaticHash(String hash) {
        return new SyncMemory(primaryHash, differentSince, lastSync, hash);
    }

    private static Instant instant(String text) {
        return text == null || text.isBlank() ? null : Instant.parse(text);
    }
}
