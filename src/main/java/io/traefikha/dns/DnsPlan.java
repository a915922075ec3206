package io.traefikha.dns;

import io.traefikha.api.v1alpha1.DnsStatus;
import java.time.Instant;
import java.util.List;

/**
 * What the DNS half should do now, computed without writing anything.
 *
 * @param changes writes to make, in order
 * @param conflicts wanted names pointing somewhere the operator does not own; left alone
 * @param released names dropped from the registry because someone else changed them after the operator did
 * @param wanted number of names the spec asks for
 * @param inPlace number of wanted names answering exactly the VIP
 * @param progress live group and since when, to store for the next reconcile
 * @param nextGroup the group after the live one; null when all groups are live
 * @param nextGroupNotBefore earliest time the next group may move (it also needs the cluster Ready); null if none
 * @param waitingFor why the next group does not move now (e.g. the cluster is not Ready); null when it moves or none is left
 * @param soakHeldBy moved names that did not answer through the VIP: the live group's soak starts again while any does
 * @param registry the registry including the owners of this plan's changes: persist it BEFORE making them, so that a crash
 *        in between cannot lose what was there before
 */
public record DnsPlan(List<DnsChange> changes, List<DnsConflict> conflicts, List<String> released, int wanted, int inPlace,
        MigrationProgress progress, String nextGroup, Instant nextGroupNotBefore, String waitingFor, List<String> soakHeldBy,
        OwnershipRegistry registry) {

    public DnsPlan {
        changes = List.copyOf(changes);
        conflicts = List.copyOf(conflicts);
        released = List.copyOf(released);
        soakHeldBy = List.copyOf(soakHeldBy);
    }

    /** The resource's {@code status.dns} as this plan sees it (before its changes are made). */
    public DnsStatus toStatus() {
        DnsStatus status = new DnsStatus();
        status.wanted = wanted;
        status.inPlace = inPlace;
        status.conflicting = conflicts.stream().map(DnsConflict::name).toList();
        status.livePhase = progress.liveGroup();
        status.livePhaseSince = progress.liveSince() == null ? null : progress.liveSince().toString();
        status.soakHeldBy = soakHeldBy.isEmpty() ? null : soakHeldBy;
        status.nextPhase = nextGroup;
        status.nextPhaseNotBefore = nextGroupNotBefore == null ? null : nextGroupNotBefore.toString();
        return status;
    }

    /** A wanted name that points elsewhere and is not the operator's. */
    public record DnsConflict(String name, List<String> answers) {
        public DnsConflict {
            answers = List.copyOf(answers);
        }
    }
}
