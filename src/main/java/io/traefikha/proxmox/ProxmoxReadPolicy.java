package io.traefikha.proxmox;

import io.traefikha.domain.ContainerSummary;
import java.util.List;

/**
 * Decides how much of Proxmox a reconcile reads, so the steady state costs one call (GET /cluster/resources) however
 * many periods pass. The authoritative reads (status/current and config of both containers, both firewalls) happen only
 * when something can have changed: first look, a change the operator just made, a node that stopped answering its
 * probe, a cluster view that differs from the last one (a container appeared or went, moved, was locked or unlocked,
 * re-tagged, renamed, or its broadcast power state flipped), or every {@code fullReadEvery} reconciles regardless. The
 * snapshot list is read only while a clone can be under way or a temporary clone snapshot can be left over.
 *
 * <p>What the cluster view does not carry is therefore seen up to {@code fullReadEvery} periods late: edits of net0,
 * onboot or the description, and firewall options, rules and IP sets changed behind the operator's back. A power state
 * change shows in the view within the status daemon's broadcast interval (about 10 s), and at once when the container's
 * SSH probe fails. A pure function, table-tested.
 */
public final class ProxmoxReadPolicy {

    private ProxmoxReadPolicy() {
    }

    /**
     * What earlier reconciles leave for this one.
     *
     * @param summaries          the cluster view at the last look (primary, secondary)
     * @param changedByOperator  the operator changed a container or a firewall since the last full read
     * @param recheckReason      why the chain asked for a full read (a node did not answer), or null
     * @param cachedReads        reconciles since the last full read that reused it
     * @param cloneSnapshotMayExist the operator took {@link Ownership#CLONE_SNAPSHOT}, or the last listing showed it
     */
    public record History(List<ContainerSummary> summaries, boolean changedByOperator, String recheckReason,
            int cachedReads, boolean cloneSnapshotMayExist) {

        public History {
            summaries = List.copyOf(summaries);
        }
    }

    /**
     * @param containers read status/current and config of both containers, and their firewalls when asked
     * @param snapshots  list the primary's snapshots too
     * @param reason     why, for the log
     */
    public record Reads(boolean containers, boolean snapshots, String reason) {
    }

    /**
     * @param history       null at the first look since the operator started or the spec changed
     * @param now           this reconcile's cluster view of the primary and the secondary
     * @param fullReadEvery every how many reconciles everything is read regardless (1 = always)
     */
    public static Reads plan(History history, List<ContainerSummary> now, int fullReadEvery) {
        String reason = fullReadReason(history, now, fullReadEvery);
        if (reason == null) {
            return new Reads(false, false, "the cluster view is unchanged");
        }
        return new Reads(true, snapshotsMatter(history, now), reason);
    }

    private static String fullReadReason(History history, List<ContainerSummary> now, int fullReadEvery) {
        if (history == null) {
            return "first look";
        }
        if (history.changedByOperator()) {
            return "the operator just changed something";
        }
        if (history.recheckReason() != null) {
            return history.recheckReason();
        }
        String changes = changes(history.summaries(), now);
        if (!changes.isEmpty()) {
            return "the cluster view changed: " + changes;
        }
        if (history.cachedReads() + 1 >= fullReadEvery) {
            return "periodic full read (every " + fullReadEvery + " reconciles)";
        }
        return null;
    }

    /** A clone can be under way (the secondary missing, either CT locked), or a temporary snapshot can be left over. */
    private static boolean snapshotsMatter(History history, List<ContainerSummary> now) {
        ContainerSummary secondary = now.get(1);
        return history == null || history.cloneSnapshotMayExist() || !secondary.exists() || secondary.locked()
                || now.get(0).locked();
    }

    private static String changes(List<ContainerSummary> before, List<ContainerSummary> now) {
        StringBuilder changes = new StringBuilder();
        for (int i = 0; i < now.size(); i++) {
            String change = i < before.size() && before.get(i).vmid() == now.get(i).vmid()
                    ? now.get(i).changesSince(before.get(i)) : "CT " + now.get(i).vmid() + " first seen";
            if (!change.isEmpty()) {
                changes.append(changes.isEmpty() ? "" : "; ").append(change);
            }
        }
        return changes.toString();
    }
}
