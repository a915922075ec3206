package io.traefikha.planner;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Cidr;
import io.traefikha.domain.Ipv6Cidr;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.PrimaryChecks;
import io.traefikha.domain.PrimaryChecks.AddressProbe;
import io.traefikha.domain.ProxmoxReadiness;
import io.traefikha.domain.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The preflight checks besides the token's privileges ({@link PrivilegePlanner}), judged from what Proxmox and the
 * primary showed: the target node, the addresses on the LAN, Traefik on the primary, and whether the container can run
 * keepalived. Pure. Each check applies only before what it protects: the target node and Traefik before the secondary
 * is made, the secondary's address before the clone is started with it, the VIP and keepalived's capabilities before
 * keepalived is first configured; a check that does not apply passes, saying why.
 */
public final class PreflightPlanner {

    public static final String TARGET_NODE = "TargetNode";
    public static final String ADDRESSES_FREE = "AddressesFree";
    public static final String TRAEFIK_HEALTH = "TraefikOnPrimary";
    public static final String KEEPALIVED_CAPABLE = "KeepalivedCapable";

    private PreflightPlanner() {
    }

    /** One check's outcome: {@code failed} blocks provisioning until fixed; the message says how. */
    public record Check(String name, boolean failed, String message) {
        static Check passed(String name, String message) {
            return new Check(name, false, message);
        }

        static Check failed(String name, String message) {
            return new Check(name, true, message);
        }
    }

    /** An address to probe on the LAN and the spec field it comes from. */
    public record ProbedAddress(String field, String address) {
    }

    /**
     * What the checks on the primary must look at this time.
     *
     * @param addresses the addresses to probe with duplicate address detection
     * @param traefik   Traefik's health on the primary (before the secondary is made from it)
     * @param keepalived whether the container can manage addresses and send VRRP (before keepalived is configured)
     */
    public record NodeChecks(List<ProbedAddress> addresses, boolean traefik, boolean keepalived) {

        public NodeChecks {
            addresses = List.copyOf(addresses);
        }

        /** Whether the primary has to be asked anything (over SSH) at all. */
        public boolean any() {
            return !addresses.isEmpty() || traefik || keepalived;
        }

        public List<String> hosts() {
            return addresses.stream().map(ProbedAddress::address).toList();
        }
    }

    /**
     * Which node checks apply: each secondary's address until a clone carries it, the VIP and keepalived until
     * keepalived was configured (then a replica holds the VIP and would answer), Traefik until every secondary
     * exists (each is made from the primary).
     *
     * @param keepalivedConfigured the last status said keepalived is configured, or named a VIP holder
     */
    public static NodeChecks nodeChecks(TraefikHAClusterSpec spec, ProxmoxReadiness facts, boolean keepalivedConfigured) {
        List<ProbedAddress> addresses = new ArrayList<>();
        for (Role role : spec.secondaryRoles()) {
            if (!facts.secondary(role).placed()) {
                addresses.add(new ProbedAddress(spec.field(role) + ".address", Cidr.hostOf(spec.secondary(role).address)));
            }
        }
        if (!keepalivedConfigured) {
            addresses.add(new ProbedAddress("spec.vip.address", Cidr.hostOf(spec.vip.address)));
            spec.vip.ipv6Address().flatMap(vip6 -> Ipv6Cidr.canonical(Cidr.hostOf(vip6)))
                    .ifPresent(vip6 -> addresses.add(new ProbedAddress("spec.vip.addresses", vip6)));
        }
        return new NodeChecks(addresses, !facts.allSecondariesExist(), !keepalivedConfigured);
    }

    /**
     * The checks on the primary while the operator owes it a start after shutting it down for the clone
     * (cloneStrategy StopPrimary): they passed before, since that shutdown is a change only a passed preflight allows,
     * and the primary cannot answer until it is started again, which they must not hold back.
     */
    public static List<Check> primaryStoppedForClone(TraefikHAClusterSpec spec) {
        String message = "passed before the operator shut CT " + spec.primary.vmid + " down for the clone; it is started"
                + " again once the clone is made";
        return List.of(Check.passed(ADDRESSES_FREE, message), Check.passed(TRAEFIK_HEALTH, message),
                Check.passed(KEEPALIVED_CAPABLE, message));
    }

    /**
     * Each secondary's node, while that secondary does not exist: online, with each storage the disks go to (the
     * secondary's storage, or each of the primary's) enabled for container disks and with room for them, and free
     * memory for the container's size. Secondaries that go to the same node need room for all of them there.
     */
    public static Check targetNode(TraefikHAClusterSpec spec, ProxmoxReadiness facts) {
        List<Role> existing = new ArrayList<>();
        Map<String, List<Role>> toMakeByNode = new LinkedHashMap<>();
        for (Role role : spec.secondaryRoles()) {
            if (facts.secondary(role).exists()) {
                existing.add(role);
            } else {
                toMakeByNode.computeIfAbsent(spec.secondary(role).node, n -> new ArrayList<>()).add(role);
            }
        }
        if (toMakeByNode.isEmpty()) {
            return Check.passed(TARGET_NODE, "not needed: " + exist(spec, existing));
        }
        if (!facts.primary().found()) {
            return Check.failed(TARGET_NODE, "the primary CT " + spec.primary.vmid + " is not in the cluster (or the token"
                    + " may not see it): check spec.primary.vmid");
        }
        List<String> problems = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        toMakeByNode.forEach((node, roles) -> {
            List<String> onNode = nodeProblems(spec, facts, node, roles);
            if (onNode.isEmpty()) {
                fine.add(nodeReady(spec, facts, node, roles));
            }
            problems.addAll(onNode);
        });
        if (!problems.isEmpty()) {
            return Check.failed(TARGET_NODE, String.join("; ", problems));
        }
        if (!existing.isEmpty()) {
            fine.add(0, exist(spec, existing));
        }
        return Check.passed(TARGET_NODE, String.join("; ", fine));
    }

    /** What keeps these secondaries (all to be made) off their node; empty when it has room for all of them. */
    private static List<String> nodeProblems(TraefikHAClusterSpec spec, ProxmoxReadiness facts, String node,
            List<Role> roles) {
        ProxmoxReadiness.Target target = facts.secondary(roles.get(0)).target();
        if (target.state() == ProxmoxReadiness.NodeState.MISSING) {
            return List.of("node " + node + " is not in the Proxmox cluster: check " + fields(spec, roles, ".node")
                    + " (pvecm nodes lists the nodes)");
        }
        if (target.state() == ProxmoxReadiness.NodeState.OFFLINE) {
            return List.of("node " + node + " is offline: start it or choose another " + fields(spec, roles, ".node"));
        }
        List<String> problems = new ArrayList<>();
        for (DiskNeed need : diskNeeds(spec, roles, facts.primary()).values()) {
            String id = need.storage();
            String storageFields = fields(spec, need.roles(), ".storage");
            ProxmoxReadiness.Storage storage = target.storages().get(id);
            if (storage == null) {
                problems.add("storage " + id + " is not enabled on node " + node + " (or the token may not see it): enable"
                        + " it there (Datacenter > Storage > " + id + " > Nodes) or set " + storageFields + " to one that is");
            } else if (!storage.holdsContainers()) {
                problems.add("storage " + id + " on node " + node + " does not hold container disks: add the content"
                        + " type rootdir (pvesm set " + id + " --content rootdir,...) or set " + storageFields);
            } else if (!storage.active() || storage.availBytes() == null) {
                problems.add("storage " + id + " on node " + node + " is not active: check pvesm status on " + node);
            } else if (storage.availBytes() < need.bytes()) {
                problems.add("storage " + id + " on node " + node + " has " + gib(storage.availBytes())
                        + " free, the primary's disks need " + gib(need.bytes()) + copies(need.roles()) + ": free space"
                        + " there or set " + storageFields + " to a larger one");
            }
        }
        long memory = memoryNeed(facts, roles);
        if (target.freeMemoryBytes() == null) {
            problems.add("the memory of node " + node + " cannot be read: the token needs Sys.Audit on /nodes/" + node);
        } else if (target.freeMemoryBytes() < memory) {
            problems.add("node " + node + " has " + gib(target.freeMemoryBytes()) + " of memory free, "
                    + (roles.size() == 1 ? "the container needs " : "the " + roles.size() + " containers need ")
                    + gib(memory) + " (its memory " + facts.primary().memoryMib() + " MiB" + (roles.size() == 1 ? "" : " each")
                    + "): free memory there or choose another " + fields(spec, roles, ".node"));
        }
        return problems;
    }

    /** The passed check's words for a node with room: its free memory and each storage's free space for the need. */
    private static String nodeReady(TraefikHAClusterSpec spec, ProxmoxReadiness facts, String node, List<Role> roles) {
        ProxmoxReadiness.Target target = facts.secondary(roles.get(0)).target();
        List<String> storages = diskNeeds(spec, roles, facts.primary()).values().stream()
                .map(need -> need.storage() + " " + gib(target.storages().get(need.storage()).availBytes()) + " free for "
                        + gib(need.bytes()))
                .toList();
        return "node " + node + " is online with " + gib(target.freeMemoryBytes()) + " of memory free for "
                + gib(memoryNeed(facts, roles)) + "; storage " + String.join(", ", storages);
    }

    private static long memoryNeed(ProxmoxReadiness facts, List<Role> roles) {
        return (facts.primary().memoryMib() << 20) * roles.size();
    }

    /** The bytes that land on one storage of a node, and the secondaries whose disks they are. */
    private record DiskNeed(String storage, long bytes, List<Role> roles) {
    }

    /**
     * The bytes that land on each storage of the node these secondaries go to: all of a secondary's disks on its
     * secondary.storage, else each where the primary has it.
     */
    private static Map<String, DiskNeed> diskNeeds(TraefikHAClusterSpec spec, List<Role> roles, ProxmoxReadiness.Primary primary) {
        Map<String, DiskNeed> needs = new TreeMap<>();
        for (Role role : roles) {
            String storage = spec.secondary(role).storage;
            Map<String, Long> disks = storage == null ? primary.diskBytes()
                    : Map.of(storage, primary.diskBytes().values().stream().mapToLong(Long::longValue).sum());
            disks.forEach((id, bytes) -> needs.merge(id, new DiskNeed(id, bytes, List.of(role)), (a, b) -> {
                List<Role> both = new ArrayList<>(a.roles());
                both.addAll(b.roles());
                return new DiskNeed(id, a.bytes() + b.bytes(), both);
            }));
        }
        return needs;
    }

    /** " for 2 clones" when the need is several secondaries' disks, else nothing. */
    private static String copies(List<Role> roles) {
        return roles.size() == 1 ? "" : " for " + roles.size() + " clones";
    }

    /** The spec fields of these secondaries, e.g. "spec.secondaries[0].node and spec.secondaries[1].node". */
    private static String fields(TraefikHAClusterSpec spec, List<Role> roles, String suffix) {
        return roles.stream().map(role -> spec.field(role) + suffix).collect(Collectors.joining(" and "));
    }

    /**
     * The addresses probed from the primary (an IPv6 VIP by neighbour discovery): an answer is someone else on the LAN
     * (a blocking failure naming its MAC and the field); the primary holding one itself is not a conflict. Without
     * iputils' arping the addresses cannot be probed, which is a failure too: otherwise the check would be skipped
     * silently.
     *
     * @param primary what the primary showed, or null when it could not be asked ({@code unreachable} says why)
     */
    public static Check addresses(NodeChecks checks, PrimaryChecks primary, String unreachable) {
        if (checks.addresses().isEmpty()) {
            return Check.passed(ADDRESSES_FREE, "not needed: every secondary carries its address and keepalived holds the VIP");
        }
        if (primary == null) {
            return Check.failed(ADDRESSES_FREE, "cannot probe " + String.join(", ", checks.hosts()) + " from the primary: "
                    + unreachable + " (see Preparing your homelab: the operator's SSH key on the primary)");
        }
        if (!primary.arpingInstalled()) {
            return Check.failed(ADDRESSES_FREE, "arping (iputils) is not on the primary, so " + String.join(", ",
                    checks.hosts()) + " cannot be probed on the LAN: apt install iputils-arping on the primary (the"
                    + " package arping is another tool)");
        }
        Map<String, AddressProbe> byAddress = new LinkedHashMap<>();
        primary.addresses().forEach(probe -> byAddress.put(probe.address(), probe));
        List<String> problems = new ArrayList<>();
        List<String> free = new ArrayList<>();
        for (ProbedAddress wanted : checks.addresses()) {
            AddressProbe probe = byAddress.get(wanted.address());
            if (probe == null) {
                problems.add(wanted.address() + " (" + wanted.field() + ") was not probed");
                continue;
            }
            switch (probe.outcome()) {
                case FREE -> free.add(wanted.address() + " (" + wanted.field() + ") is free");
                case HELD_BY_PRIMARY -> free.add(wanted.address() + " (" + wanted.field() + ") is on the primary itself");
                case ANSWERED -> problems.add(wanted.address() + " (" + wanted.field() + ") is in use on the LAN: "
                        + (probe.mac() == null ? "it answered a ping through a router" : probe.mac() + " answered")
                        + "; find that host (ip neigh, your router's DHCP leases) and free the address, or choose another "
                        + wanted.field());
                case ERROR -> problems.add(wanted.address() + " (" + wanted.field() + ") could not be probed: "
                        + probe.detail());
                default -> throw new IllegalStateException("unknown outcome " + probe.outcome());
            }
        }
        if (!problems.isEmpty()) {
            return Check.failed(ADDRESSES_FREE, String.join("; ", problems));
        }
        return Check.passed(ADDRESSES_FREE, String.join("; ", free) + " (duplicate address detection from the primary)");
    }

    /**
     * Traefik on the primary, before a secondary is made from it: the probe's health (the health URL answers and, with
     * minRouters, the API lists enough routers). A failure says how to enable ping (and the API).
     */
    public static Check traefik(TraefikHAClusterSpec spec, NodeChecks checks, NodeObservation probe) {
        if (!checks.traefik()) {
            return Check.passed(TRAEFIK_HEALTH, "not needed: " + exist(spec, spec.secondaryRoles()));
        }
        if (!probe.reachable()) {
            return Check.failed(TRAEFIK_HEALTH, "cannot ask the primary: " + probe.problem()
                    + " (see Preparing your homelab: the operator's SSH key on the primary)");
        }
        if (probe.traefikHealthy()) {
            return Check.passed(TRAEFIK_HEALTH, "Traefik " + (probe.traefikVersion() == null ? "" : probe.traefikVersion()
                    + " ") + "answers " + spec.healthCheck.url + (spec.healthCheck.minRouters > 0 ? " with "
                    + probe.routerCount() + " router(s) loaded" : ""));
        }
        String ping = "Traefik on the primary does not answer " + spec.healthCheck.url + " (or is not running): enable"
                + " its ping in the static configuration (/etc/traefik/traefik.yml): entryPoints: {traefik: {address:"
                + " \"127.0.0.1:8080\"}} and ping: {}, then systemctl restart " + spec.traefik.serviceName;
        if (spec.healthCheck.minRouters <= 0) {
            return Check.failed(TRAEFIK_HEALTH, ping);
        }
        String api = probe.routerCount() < 0
                ? "; healthCheck.minRouters " + spec.healthCheck.minRouters + " also needs its API (" + spec.healthCheck.apiUrl
                        + "): api: {insecure: true} on that entry point"
                : "; with healthCheck.minRouters " + spec.healthCheck.minRouters + ", " + probe.routerCount()
                        + " router(s) are loaded: fix the dynamic configuration or lower healthCheck.minRouters";
        return Check.failed(TRAEFIK_HEALTH, ping + api);
    }

    /**
     * Whether keepalived can work in the container, before it is configured: CAP_NET_ADMIN (the VIP on the interface)
     * and CAP_NET_RAW (VRRP adverts) among the init's effective capabilities; reports privileged or not and the
     * features, which keepalived does not need.
     */
    public static Check keepalived(TraefikHAClusterSpec spec, NodeChecks checks, ProxmoxReadiness.Primary container,
            PrimaryChecks primary, String unreachable) {
        String kind = container.found() ? "CT " + spec.primary.vmid + " is " + (container.unprivileged() ? "unprivileged"
                : "privileged") + ", features " + (container.features().isEmpty() ? "none" : container.features()) : null;
        if (!checks.keepalived()) {
            return Check.passed(KEEPALIVED_CAPABLE, "not needed: keepalived is configured" + (kind == null ? "" : "; " + kind));
        }
        if (primary == null) {
            return Check.failed(KEEPALIVED_CAPABLE, "cannot ask the primary: " + unreachable);
        }
        if (primary.capEff() == null) {
            return Check.failed(KEEPALIVED_CAPABLE, "cannot read the capabilities of the primary's init (CapEff in"
                    + " /proc/1/status)" + (kind == null ? "" : "; " + kind));
        }
        List<String> missing = new ArrayList<>();
        if (!primary.has(PrimaryChecks.CAP_NET_ADMIN)) {
            missing.add("net_admin (to put the VIP on " + spec.network.interfaceName + ")");
        }
        if (!primary.has(PrimaryChecks.CAP_NET_RAW)) {
            missing.add("net_raw (to send VRRP adverts)");
        }
        String capabilities = String.format("CapEff %016x", primary.capEff());
        if (!missing.isEmpty()) {
            return Check.failed(KEEPALIVED_CAPABLE, "keepalived cannot work in the primary: its init lacks "
                    + String.join(" and ", missing) + " (" + capabilities + (kind == null ? "" : "; " + kind) + "): remove"
                    + " them from lxc.cap.drop in /etc/pve/lxc/" + spec.primary.vmid + ".conf and restart the container");
        }
        return Check.passed(KEEPALIVED_CAPABLE, "the primary may manage addresses and send VRRP (net_admin, net_raw in "
                + capabilities + ")" + (kind == null ? "" : "; " + kind));
    }

    /** "CT 111 exists", or for several secondaries "CT 111, 112 exist". */
    private static String exist(TraefikHAClusterSpec spec, List<Role> secondaries) {
        List<String> vmids = secondaries.stream().map(role -> String.valueOf(spec.secondary(role).vmid)).toList();
        return "CT " + String.join(", ", vmids) + (vmids.size() == 1 ? " exists" : " exist");
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
