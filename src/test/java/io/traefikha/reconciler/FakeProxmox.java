package io.traefikha.reconciler;

import io.traefikha.domain.BackupVolume;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.ContainerObservation.NetworkConfig;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.FirewallAction;
import io.traefikha.domain.FirewallObservation;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.ProxmoxReadiness;
import io.traefikha.domain.TokenGrants;
import io.traefikha.planner.PrivilegePlanner;
import io.traefikha.testbed.HaPair;
import io.traefikha.testbed.TestBed;
import java.util.HashMap;
import java.util.Map;
import io.traefikha.gateway.ProxmoxGateway;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Proxmox in memory, just enough for the reconcile pipeline: two CTs that actions change the way Proxmox would (a clone
 * copies the primary's address and gets a new MAC; a migrated CT lands on its target). The faithful API simulator is
 * io.traefikha.simulator.proxmox; this fake keeps pipeline tests small and exact.
 */
class FakeProxmox implements ProxmoxGateway {

    ContainerObservation primary = new ContainerObservation(true, "proxmox", true, null, "traefik",
            new NetworkConfig("eth0", "vmbr0", "192.168.1.110/24", "192.168.1.1", "BC:24:11:00:01:10"), true,
            Set.of("web"), "Traefik", "d1", List.of());
    ContainerObservation secondary = ContainerObservation.missing();
    boolean reachable = true;
    String failOn;
    final List<ProxmoxAction> applied = new ArrayList<>();
    /** The vzdump backups on the storages, as the storages' content lists them. */
    final List<BackupVolume> backups = new ArrayList<>();
    /** How many vzdump tasks were started. */
    int backupsStarted;
    /** Called with each action as it reaches Proxmox, before it takes effect. */
    Consumer<ProxmoxAction> onApply = action -> { };
    /** The address the spec gives the secondary: once CT 111's net0 carries it, preflight no longer probes it. */
    String secondaryAddress = "192.168.1.111/24";

    /** The secondary's target node as preflight reads it while the secondary is missing: online, with room. */
    ProxmoxReadiness.Target target = new ProxmoxReadiness.Target("proxmox2", ProxmoxReadiness.NodeState.ONLINE, 8L << 30,
            Map.of("local-lvm", new ProxmoxReadiness.Storage(true, true, 90L << 30)));

    /** An unprivileged primary of 512 MiB with an 8 GiB disk on local-lvm. */
    @Override
    public ProxmoxReadiness readiness() {
        if (!reachable) {
            throw new ExternalSystemException("proxmox", "connect to https://proxmox:8006 timed out");
        }
        ProxmoxReadiness.Primary facts = primary.exists() ? new ProxmoxReadiness.Primary(true, primary.node(), 512,
                Map.of("local-lvm", 8L << 30), true, "nesting=1") : ProxmoxReadiness.Primary.NOT_FOUND;
        return new ProxmoxReadiness(facts, secondary.exists(), secondary.hasAddress(secondaryAddress),
                secondary.exists() ? null : target);
    }

    /** A token that may do everything the operator needs (the README's role on /). */
    @Override
    public TokenGrants tokenGrants(Set<String> paths) {
        Map<String, Set<String>> byPath = new HashMap<>();
        paths.forEach(path -> byPath.put(path, Set.copyOf(PrivilegePlanner.ROLE_PRIVILEGES)));
        return new TokenGrants("traefikha@pve!operator", byPath);
    }

    @Override
    public ProxmoxObservation observe() {
        if (!reachable) {
            throw new ExternalSystemException("proxmox", "connect to https://proxmox:8006 timed out");
        }
        return new ProxmoxObservation(primary, secondary);
    }

    @Override
    public void apply(ProxmoxAction action) {
        if (failOn != null && action.getClass().getSimpleName().equals(failOn)) {
            throw new ExternalSystemException("proxmox", "task failed: TASK ERROR: clone failed: no space left on device");
        }
        onApply.accept(action);
        applied.add(action);
        if (action instanceof ProxmoxAction.CreateSnapshot s) {
            primary = withSnapshots(primary, add(primary.snapshots(), s.snapname()));
        } else if (action instanceof ProxmoxAction.DeleteSnapshot s) {
            primary = withSnapshots(primary, remove(primary.snapshots(), s.snapname()));
        } else if (action instanceof ProxmoxAction.CloneContainer c) {
            secondary = new ContainerObservation(true, c.target() == null ? c.node() : c.target(), false, null, c.hostname(),
                    new NetworkConfig("eth0", "vmbr0", primary.net0().ip(), "192.168.1.1", "BC:24:11:00:01:11"),
                    primary.onboot(), primary.tags(), c.description(), "d2", List.of());
        } else if (action instanceof ProxmoxAction.MigrateContainer m) {
            secondary = copy(secondary, m.target(), secondary.running(), secondary.hostname(), secondary.net0(),
                    secondary.onboot(), secondary.tags(), secondary.description());
        } else if (action instanceof ProxmoxAction.ConfigureContainer c) {
            Set<String> tags = c.options().containsKey("tags") ? Set.of(c.options().get("tags").split(";")) : secondary.tags();
            secondary = copy(secondary, secondary.node(), secondary.running(),
                    c.options().getOrDefault("hostname", secondary.hostname()), c.net0() != null ? c.net0() : secondary.net0(),
                    c.options().containsKey("onboot") || secondary.onboot(), tags,
                    c.options().getOrDefault("description", secondary.description()));
        } else if (action instanceof ProxmoxAction.StartContainer s && s.vmid() == 110) {
            primary = running(primary, true);
        } else if (action instanceof ProxmoxAction.StartContainer) {
            secondary = running(secondary, true);
        } else if (action instanceof ProxmoxAction.ShutdownContainer s && s.vmid() == 110) {
            primary = running(primary, false);
        } else if (action instanceof ProxmoxAction.ShutdownContainer) {
            secondary = running(secondary, false);
        } else if (action instanceof ProxmoxAction.DestroyContainer) {
            secondary = ContainerObservation.missing();
        } else if (action instanceof ProxmoxAction.DeleteBackup b) {
            backups.removeIf(v -> v.volid().equals(b.volid()));
        }
    }

    @Override
    public String startBackup(String node, int vmid, String storage, String notes) {
        backupsStarted++;
        return String.format("UPID:%s:0000AB%02X:00C0FFEE:6751B2C8:vzdump:%d:traefikha@pve!operator:", node, backupsStarted,
                vmid);
    }

    /** Set: the next backup task fails with this exit status. */
    String backupFailure;

    /** The task ends at once: OK with its archive on the storage, or as {@link #backupFailure} says. */
    @Override
    public BackupTask awaitBackup(String upid, String storage, int vmid) {
        if (backupFailure != null) {
            String failure = backupFailure;
            backupFailure = null;
            return new BackupTask(null, failure);
        }
        BackupVolume archive = new BackupVolume(storage + ":backup/vzdump-lxc-" + vmid + "-2026_12_05-14_03_" + backupsStarted
                + ".tar.zst", storage, vmid, 512L << 20, Instant.parse("2026-12-05T14:03:20Z"));
        backups.add(archive);
        return new BackupTask(archive, null);
    }

    @Override
    public List<BackupVolume> backups(String node, String storage, int vmid) {
        return backups.stream().filter(b -> b.storage().equals(storage) && b.vmid() == vmid).toList();
    }

    /** The homelab's containers run without the Proxmox firewall. */
    @Override
    public FirewallObservation observeFirewall(String node, int vmid) {
        return new FirewallObservation(node, vmid, false, "DROP", false, List.of(), null);
    }

    @Override
    public void applyFirewall(FirewallAction action) {
        throw new AssertionError("no firewall change expected with the firewall off: " + action.describe());
    }

    /**
     * This fake as the Proxmox of a test bed pair whose secondary host stands for CT 111: the host is off (its address
     * free on the LAN, as preflight expects before the clone) until CT 111 is started, and goes off when CT 111 is shut
     * down or destroyed. Its disk keeps what earlier tests wrote, as a container's would.
     */
    static FakeProxmox onBed(HaPair pair) {
        FakeProxmox proxmox = new FakeProxmox();
        proxmox.secondaryAddress = pair.secondary.address() + "/" + TestBed.PREFIX_LENGTH;
        pair.secondary.powerOff();
        proxmox.onApply = action -> {
            if (action instanceof ProxmoxAction.StartContainer start && start.vmid() != 110 && !pair.secondary.running()) {
                pair.secondary.powerOn(HaPair.SECONDARY_ADDRESS);
                pair.secondary.startTraefik();
            } else if ((action instanceof ProxmoxAction.ShutdownContainer stop && stop.vmid() != 110)
                    || action instanceof ProxmoxAction.DestroyContainer) {
                pair.secondary.powerOff();
            }
        };
        return proxmox;
    }

    void stopSecondary() {
        secondary = running(secondary, false);
    }

    private static ContainerObservation running(ContainerObservation ct, boolean running) {
        return copy(ct, ct.node(), running, ct.hostname(), ct.net0(), ct.onboot(), ct.tags(), ct.description());
    }

    private static ContainerObservation copy(ContainerObservation ct, String node, boolean running, String hostname,
            NetworkConfig net0, boolean onboot, Set<String> tags, String description) {
        return new ContainerObservation(true, node, running, ct.lock(), hostname, net0, onboot, tags, description,
                ct.digest() + "'", ct.snapshots());
    }

    private static ContainerObservation withSnapshots(ContainerObservation ct, List<String> snapshots) {
        return new ContainerObservation(true, ct.node(), ct.running(), ct.lock(), ct.hostname(), ct.net0(), ct.onboot(),
                ct.tags(), ct.description(), ct.digest(), snapshots);
    }

    private static List<String> add(List<String> list, String item) {
        List<String> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }

    private static List<String> remove(List<String> list, String item) {
        List<String> copy = new ArrayList<>(list);
        copy.remove(item);
        return copy;
    }
}
