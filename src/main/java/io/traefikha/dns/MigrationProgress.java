package io.traefikha.dns;

import java.time.Instant;

/**
 * Which migration group is live (the last one moved) and since when; the soak time of the next group counts from
 * {@code liveSince}. Stored by the caller between reconciles (status {@code dns.livePhase}/{@code dns.livePhaseSince}).
 *
 * @param liveGroup null before the first group is live
 */
public record MigrationProgress(String liveGroup, Instant liveSince) {

    public static final MigrationProgress NONE = new MigrationProgress(null, null);
}
