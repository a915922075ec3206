package io.traefikha.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One change on Proxmox. Each is idempotent given the observation it was planned from, and each describes itself in
 * words a homelab owner understands (status.plannedActions and Events use {@link #describe()}).
 */
public sealed interface ProxmoxAction extends Action {

    @Override
    default String eventReason() {
        return "ContainerChanged";
    }

    @Override
    default void carryOut(Executor executor) {
        executor.proxmox(this);
    }

    record CreateSnapshot(String node, int vmid, String snapname) implements ProxmoxAction {
        @Override
        public String eventReason() {
            return "Cloning";
        }

        public String describe() {
            return "snapshot CT " + vmid + " on " + node + " as '" + snapname + "' (temporary, for a clone without downtime)";
        }
    }

    record DeleteSnapshot(String node, int vmid, String snapname) implements ProxmoxAction {
        public String describe() {
            return "delete the temporary snapshot '" + snapname + "' of CT " + vmid;
        }
    }

    /** A full or linked clone; {@code snapname} for a running source, {@code target} only with shared storage. */
    record CloneContainer(String node, int sourceVmid, int newVmid, String hostname, String description, String snapname,
            String storage, String pool, boolean full, String target) implements ProxmoxAction {
        @Override
        public String eventReason() {
            return "Cloning";
        }

        public String describe() {
            return "clone CT " + sourceVmid + " to CT " + newVmid + " '" + hostname + "'"
                    + (snapname != null ? " from snapshot '" + snapname + "'" : "")
                    + (target != null ? " onto node " + target : " on node " + node)
                    + (storage != null ? " onto storage " + storage : "");
        }
    }

    /** {@code targetStorage}: where its local volumes land on the target (null: the storage with the same id). */
    record MigrateContainer(String node, int vmid, String target, boolean restart, String targetStorage)
            implements ProxmoxAction {
        public String describe() {
            return "migrate CT " + vmid + " from " + node + " to " + target
                    + (targetStorage != null ? " onto storage " + targetStorage : "") + (restart ? " (restart mode)" : "");
        }
    }

    /**
     * Config changes applied with the observed digest: plain options (hostname, onboot, tags, description) by name,
     * and net0 as the wanted parts, merged into the CT's net0 so hwaddr and every other key stay as they are.
     */
    record ConfigureContainer(String node, int vmid, Map<String, String> options, ContainerObservation.NetworkConfig net0,
            String digest) implements ProxmoxAction {
        public String describe() {
            List<String> names = new ArrayList<>(options.keySet());
            if (net0 != null) {
                names.add("net0 (ip " + net0.ip() + ", gw " + net0.gateway() + (net0.ip6() == null ? "" : ", ip6 " + net0.ip6())
                        + ", bridge " + net0.bridge() + ")");
            }
            return "set " + String.join(", ", names) + " of CT " + vmid;
        }
    }

    record StartContainer(String node, int vmid) implements ProxmoxAction {
        @Override
        public String eventReason() {
            return "Started";
        }

        public String describe() {
            return "start CT " + vmid + " on " + node;
        }
    }

    /**
     * Only for an owned secondary, only on deletion with deletionPolicy Delete; also removes it from jobs and HA. The
     * container is read again right before and left alone unless its description still names {@code ownerUid}.
     */
    record DestroyContainer(String node, int vmid, String ownerUid) implements ProxmoxAction {
        public String describe() {
            return "destroy CT " + vmid + " on " + node;
        }
    }

    /** A hard stop ({@code pct stop}): only in a StopContainer failover drill, which starts it again. */
    record StopContainer(String node, int vmid, String why) implements ProxmoxAction {
        public String describe() {
            return "stop CT " + vmid + " on " + node + " (" + why + ")";
        }
    }

    /**
     * A backup the operator took, on deletion with deletionPolicy Rollback or Delete and spec.backup.keepOnDelete
     * false; never a backup it did not make.
     */
    record DeleteBackup(String node, String storage, String volid) implements ProxmoxAction {
        public String describe() {
            return "delete the backup " + volid + " the operator took before its first change";
        }
    }

    /** The primary only with cloneStrategy StopPrimary (reported as downtime); the secondary on rollback. */
    record ShutdownContainer(String node, int vmid, String why) implements ProxmoxAction {
        public String describe() {
            return "shut down CT " + vmid + " on " + node + " (" + why + ")";
        }
    }
}
