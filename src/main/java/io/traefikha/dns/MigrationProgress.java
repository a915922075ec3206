package io.traefikha.dns;

import io.traefikha.api.v1alpha1.DnsStatus;
import java.time.Instant;
import java.util.List;

/**
 * Which migration group is live (the last one moved) and since when; the soak time of the next group counts from
 * {@code liveSince}. Stored by the caller between reconciles (status {@code dns.livePhase}/{@code dns.livePhaseSince}).
 *
 * @param liveGroup null before the first group is live
 */
public record MigrationProgress(String liveGroup, Instant liveSince) {

    public static final MigrationProgress NONE = new MigrationProgress(null, null);

    /**
     * With several servers, the migration is as far as the server that is least far: the next group moves only once
     * the live one is in place everywhere, and its soak counts from the latest of their starts.
     */
    public static MigrationProgress leastAdvanced(List<String> groupOrder, List<MigrationProgress> perServer) {
        MigrationProgress least = null;
        for (MigrationProgress progress : perServer) {
            int index = progress.liveGroup() == null ? -1 : groupOrder.indexOf(progress.liveGroup());
            int leastIndex = least == null || least.liveGroup() == null ? -1 : groupOrder.indexOf(least.liveGroup());
            if (least == null || index < leastIndex) {
                least = progress;
            } else if (index == leastIndex && progress.liveSince() != null
                    && (least.liveSince() == null || progress.liveSince().isAfter(least.liveSince()))) {
                least = progress;
            }
        }
        return least == null ? NONE : least;
    }

    /** The progress a previous reconcile wrote with {@link DnsPlan#toStatus()}; NONE without status. */
    public static MigrationProgress fromStatus(DnsStatus status) {
        if (status == null || status.livePhase == null) {
            return NONE;
        }
        return new MigrationProgress(status.livePhase, status.livePhaseSince == null ? null : Instant.parse(status.livePhaseSince));
    }
}
