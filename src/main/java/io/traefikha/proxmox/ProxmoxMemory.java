package io.traefikha.proxmox;

import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ContainerSummary;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.Ownership;
import io.traefikha.domain.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one resource's reconciles saw of Proxmox, kept between them (in memory only: an operator restart starts with a
 * full read) so that {@link ProxmoxReadPolicy} can skip the authoritative reads while nothing can have changed.
 * Reconciles of one resource never run concurrently, so this needs no locking.
 */
public final class ProxmoxMemory {

    /** Every how many reconciles everything is read regardless (traefikha.proxmox.full-read-every). */
    final int fullReadEvery;
    private List<ContainerSummary> summaries;
    private ContainerObservation primary;
    private Map<Role, ContainerObservation> secondaries;
    private boolean changedByOperator;
    private String recheckReason;
    private int cachedReads;
    private boolean cloneSnapshotMayExist;
    private boolean fullReadThisRound = true;
    private final Map<String, FirewallObservation> firewalls = new HashMap<>();

    public ProxmoxMemory(int fullReadEvery) {
        this.fullReadEvery = Math.max(1, fullReadEvery);
    }

    /** Null before the first full read. */
    ProxmoxReadPolicy.History history() {
        return summaries == null ? null : new ProxmoxReadPolicy.History(summaries, changedByOperator, recheckReason,
                cachedReads, cloneSnapshotMayExist);
    }

    /** @param snapshotsListed whether the primary's snapshots were listed in this read */
    void rememberFullRead(List<ContainerSummary> summaries, ContainerObservation primary,
            Map<Role, ContainerObservation> secondaries, boolean snapshotsListed) {
        if (snapshotsListed) {
            cloneSnapshotMayExist = primary.snapshots().contains(Ownership.CLONE_SNAPSHOT);
        }
        this.summaries = List.copyOf(summaries);
        this.primary = primary;
        this.secondaries = Map.copyOf(secondaries);
        changedByOperator = false;
        recheckReason = null;
        cachedReads = 0;
        fullReadThisRound = true;
        firewalls.clear();
    }

    /** This reconcile reuses the last full read; the firewalls read then are still good. */
    void reuse() {
        cachedReads++;
        fullReadThisRound = false;
    }

    ContainerObservation primary() {
        return primary;
    }

    Map<Role, ContainerObservation> secondaries() {
        return secondaries;
    }

    void changedByOperator() {
        changedByOperator = true;
        firewalls.clear();
    }

    /** The operator took the temporary clone snapshot: list snapshots until a listing shows it gone. */
    void cloneSnapshotTaken() {
        cloneSnapshotMayExist = true;
    }

    void recheck(String reason) {
        if (recheckReason == null) {
            recheckReason = reason;
        }
    }

    /** A firewall read in this reconcile's full read, or in the last one while nothing changed since. */
    FirewallObservation firewall(String node, int vmid) {
        return fullReadThisRound ? null : firewalls.get(node + "/" + vmid);
    }

    void rememberFirewall(FirewallObservation firewall) {
        firewalls.put(firewall.node() + "/" + firewall.vmid(), firewall);
    }
}
