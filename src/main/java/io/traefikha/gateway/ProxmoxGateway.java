package io.traefikha.gateway;

import io.traefikha.domain.BackupVolume;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.FirewallAction;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.ProxmoxReadiness;
import io.traefikha.domain.TokenGrants;
import java.util.List;
import java.util.Set;

/** Proxmox as the reconciler needs it: one observation of both containers, and actions that wait for their task. */
public interface ProxmoxGateway {

    /**
     * Reads the primary and the CT with the secondary's VMID; read-only. May reuse an earlier reconcile's reads while
     * the cluster view shows nothing changed (the Proxmox gateway decides, see ProxmoxReadPolicy).
     */
    ProxmoxObservation observe() throws ExternalSystemException;

    /** Carries out one planned action and waits until Proxmox has finished it (task stopped, OK or WARNINGS). */
    void apply(ProxmoxAction action) throws ExternalSystemException;

    /**
     * One container's firewall (options, rules, the ipfilter set), for the firewall planner, which judges it for the
     * peers {@link FirewallObservation#withPeerAddresses} names; read-only.
     */
    FirewallObservation observeFirewall(String node, int vmid) throws ExternalSystemException;

    void applyFirewall(FirewallAction action) throws ExternalSystemException;

    /**
     * What preflight judges on Proxmox: the primary's size and kind, whether the secondary exists, and while it does
     * not, its target node (online, free memory, storages with their free space). Read-only; not for the steady state.
     */
    ProxmoxReadiness readiness() throws ExternalSystemException;

    /**
     * Starts a vzdump backup of CT {@code vmid} on {@code node} to {@code storage} (snapshot mode, zstd, no pruning) and
     * returns its task id (UPID) at once, so that it can be stored before the backup is waited for.
     */
    String startBackup(String node, int vmid, String storage, String notes) throws ExternalSystemException;

    /**
     * Waits for the backup task {@code upid} as {@link #apply} waits for its tasks, then finds the archive it wrote on
     * {@code storage}: taken, failed (Proxmox's error, or no archive listed after OK), or still running when the wait
     * ends.
     *
     * @throws ExternalSystemException when Proxmox cannot be asked (the task's fate is then unknown)
     */
    BackupTask awaitBackup(String upid, String storage, int vmid) throws ExternalSystemException;

    /** What became of a backup task: its archive, or why it failed; neither while it still runs. */
    record BackupTask(BackupVolume volume, String failure) {
        public static final BackupTask RUNNING = new BackupTask(null, null);

        public boolean running() {
            return volume == null && failure == null;
        }
    }

    /** The backups of {@code vmid} on {@code storage} as {@code node} sees them, oldest first. Read-only. */
    List<BackupVolume> backups(String node, String storage, int vmid) throws ExternalSystemException;

    /** What the API token may do on each of {@code paths}, as Proxmox computes it (GET /access/permissions). */
    TokenGrants tokenGrants(Set<String> paths) throws ExternalSystemException;

    /**
     * Something seen elsewhere (a node that stopped answering its probe) suggests Proxmox changed: the next
     * {@link #observe()} reads everything instead of trusting the cluster view. A gateway that always reads everything
     * ignores it.
     */
    default void recheck(String why) {
    }
}
