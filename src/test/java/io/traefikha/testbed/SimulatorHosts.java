package io.traefikha.testbed;

import io.traefikha.simulator.proxmox.ContainerEvent;
import io.traefikha.simulator.proxmox.ContainerListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backs the containers of a {@link io.traefikha.simulator.proxmox.ProxmoxSimulator} with {@link BedHost}s, so what
 * the Proxmox API does to a container really happens to a host: a clone copies the source's root filesystem into a new
 * host, a start boots it at the address in its net0 (sshd and the enabled services come up), a stop kills everything
 * on it and takes its link down as {@code pct stop} does, a destroy removes it. Migration and config changes need
 * nothing here: nodes are only data, and net0 is read at the next start as LXC does.
 *
 * <p>Every container this bed creates is a clone of {@code cloneSource} (the simulator's events do not name the
 * source, and cloning the primary is the only way the operator creates one).
 */
final class SimulatorHosts implements ContainerListener {

    private static final Pattern NET0_IP = Pattern.compile("(?:^|,)ip=([0-9.]+)/\\d+");

    private final TestBed bed;
    private final int cloneSource;
    private final Map<Integer, BedHost> hosts = new ConcurrentHashMap<>();

    SimulatorHosts(TestBed bed, int cloneSource) {
        this.bed = bed;
        this.cloneSource = cloneSource;
    }

    /** The host of a container the simulator was started with (it raises no event for those). */
    void adopt(int vmid, BedHost host) {
        hosts.put(vmid, host);
    }

    BedHost host(int vmid) {
        BedHost host = hosts.get(vmid);
        if (host == null) {
            throw new IllegalStateException("CT " + vmid + " has no host on the bed");
        }
        return host;
    }

    boolean exists(int vmid) {
        return hosts.containsKey(vmid);
    }

    @Override
    public void onEvent(ContainerEvent event) {
        int vmid = event.vmid();
        switch (event.type()) {
            case CREATED -> hosts.put(vmid, bed.cloneHost(host(cloneSource), event.config().get("hostname")));
            case STARTED -> host(vmid).powerOn(bedAddress(vmid, event.config().get("net0")));
            case STOPPED -> host(vmid).powerOff();
            case DESTROYED -> {
                BedHost host = hosts.remove(vmid);
                if (host != null) {
                    bed.removeHost(host.name());
                }
            }
            default -> {
                // RECONFIGURED, MIGRATED: see the class comment
            }
        }
    }

    /** The IPv4 address of net0, which must lie inside the bed: a container is never given an address outside it. */
    private static String bedAddress(int vmid, String net0) {
        Matcher ip = NET0_IP.matcher(net0 == null ? "" : net0);
        if (!ip.find() || !ip.group(1).startsWith(TestBed.SUBNET)) {
            throw new IllegalStateException("CT " + vmid + " cannot start on the bed: its net0 (" + net0
                    + ") has no static address in " + TestBed.SUBNET + "0/" + TestBed.PREFIX_LENGTH);
        }
        return ip.group(1);
    }
}
