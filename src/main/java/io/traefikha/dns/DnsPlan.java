package io.traefikha.dns;

import io.traefikha.api.v1alpha1.DnsAaaaStatus;
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
 * @param aaaa the AAAA answers of the names moved to the VIP; null without an IPv6 VIP
 */
public record DnsPlan(List<DnsChange> changes, List<DnsConflict> conflicts, List<String> released, int wanted, int inPlace,
        MigrationProgress progress, String nextGroup, Instant nextGroupNotBefore, String waitingFor, List<String> soakHeldBy,
        OwnershipRegistry registry, AaaaProgress aaaa) {

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
        status.aaaa = aaaa == null ? null : aaaa.toStatus();
        return status;
    }

    /** Whether nothing is left to do: no change, no conflict, every wanted name (and its AAAA) in place. */
    public boolean settled() {
        return changes.isEmpty() && conflicts.isEmpty() && inPlace == wanted
                && (aaaa == null || aaaa.conflicts().isEmpty() && aaaa.inPlace() == aaaa.wanted());
    }

    /**
     * The AAAA half: a name answers the IPv6 VIP in AAAA once its A answer is at the VIP (in place, or moved by this plan).
     *
     * @param vip the IPv6 VIP
     * @param wanted names whose A answer is at the VIP, so their AAAA answer should be the IPv6 VIP
     * @param inPlace of those, the names answering exactly the IPv6 VIP
     * @param conflicts of those, the names whose AAAA answers point elsewhere and are not the operator's; left alone
     */
    public record AaaaProgress(String vip, int wanted, int inPlace, List<DnsConflict> conflicts) {
        public AaaaProgress {
            conflicts = List.copyOf(conflicts);
        }

        DnsAaaaStatus toStatus() {
            DnsAaaaStatus status = new DnsAaaaStatus();
            status.vip = vip;
            status.wanted = wanted;
            status.inPlace = inPlace;
            status.conflicting = conflicts.stream().map(DnsConflict::name).toList();
            return status;
        }
    }

    /** A wanted name that points elsewhere and is not the operator's. */
    public record DnsConflict(String name, List<String> answers) {
        public DnsConflict {
            answers = List.copyOf(answers);
        }
    }
}
