package io.traefikha.dns;

import io.traefikha.api.DnsStatus;
import java.time.Instant;

/**
 * Which migration group is live (the last one moved) and since when; the soak time of the next group counts from
 * {@code liveSince}. Stored by the caller between reconciles (status {@code dns.livePhase}/{@code dns.livePhaseSince}).
 *
 * @param liveGroup null before the first group is live
 */
public record MigrationProgress(String liveGroup, Instant liveSince) {

    public static final MigrationProgress NONE = new MigrationProgress(null, null);

    /** The progress a previous reconcile wrote with {@link DnsPlan#toStatus()}; NONE without status. */
    public static MigrationProgress fromStatus(DnsStatus status) {
        if (status == null || status.livePhase == null) {
            return NONE;
        }
        return new MigrationProgress(status.livePhase, status.livePhaseSince == null ? null : Instant.parse(status.livePhaseSince));
    }
}
