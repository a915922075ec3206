package io.traefikha.testbed;

import io.traefikha.api.v1alpha1.DrillScenario;
import io.traefikha.api.v1alpha1.DrillSpec;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Action;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.FirewallAction;
import io.traefikha.domain.Finding;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.NodeAccess;
import io.traefikha.node.NodeEndpoint;
import io.traefikha.node.NodeSession;
import io.traefikha.node.SshNodeAccess;
import io.traefikha.node.SshNodeGateway;
import io.traefikha.planner.DrillPlanner;
import io.traefikha.planner.NodePlan;
import io.traefikha.planner.NodePlanner;
import io.traefikha.step.DrillExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The two containers of a TraefikHACluster on a {@link TestBed}: hosts named like the spec's hostnames at 10.251.0.11
 * and .12 with the VIP .100, Traefik stand-ins running, keepalived deployed over SSH by the operator's own code.
 */
public final class HaPair implements AutoCloseable {

    public static final String PRIMARY_ADDRESS = TestBed.SUBNET + "11";
    public static final String SECONDARY_ADDRESS = TestBed.SUBNET + "12";
    /** Where the bed's sshd reads root's keys (the sync key goes there). */
    public static final String AUTHORIZED_KEYS = ConfigSyncE2ETest.BED_AUTHORIZED_KEYS;
    public static final String VIP = TestBed.SUBNET + "100";
    /** The pair's IPv6 addresses and VIP once {@link #enableIpv6()} gave them ({@link #dualStack} puts them in a spec). */
    public static final String PRIMARY_ADDRESS6 = TestBed.SUBNET6 + "11";
    public static final String SECONDARY_ADDRESS6 = TestBed.SUBNET6 + "12";
    public static final String VIP6 = TestBed.SUBNET6 + "100";

    public final TestBed bed;
    public final BedHost primary;
    public final BedHost secondary;
    public final NodeAccess access;

    private HaPair(TestBed bed, BedHost primary, BedHost secondary) {
        this.bed = bed;
        this.primary = primary;
        this.secondary = secondary;
        this.access = new SshNodeAccess(Duration.ofSeconds(10), Duration.ofSeconds(30), bed.transport());
    }

    /** A new bed with both hosts up and Traefik running on each. */
    public static HaPair create() {
        TestBed bed = TestBed.create();
        try {
            HaPair pair = new HaPair(bed, bed.addHost("traefik", PRIMARY_ADDRESS), bed.addHost("traefik-2", SECONDARY_ADDRESS));
            pair.primary.startTraefik();
            pair.secondary.startTraefik();
            return pair;
        } catch (RuntimeException | Error e) {
            bed.close();
            throw e;
        }
    }

    /** Two hosts made otherwise (e.g. by the operator through the Proxmox simulator) seen as the pair. */
    public static HaPair of(TestBed bed, BedHost primary, BedHost secondary) {
        return new HaPair(bed, primary, secondary);
    }

    /** Addresses of the bed put into a spec; change timing or options on the result before deploying it. */
    public static TraefikHAClusterSpec spec(TraefikHAClusterSpec template) {
        template.primary.address = PRIMARY_ADDRESS + "/" + TestBed.PREFIX_LENGTH;
        template.secondary.address = SECONDARY_ADDRESS + "/" + TestBed.PREFIX_LENGTH;
        template.vip.address = VIP + "/" + TestBed.PREFIX_LENGTH;
        template.network.gateway = TestBed.SUBNET + "1";
        return template;
    }

    /** The bed's IPv6 VIP beside SPEC's IPv4 one, and both nodes' IPv6 addresses as the IPv6 instance's peers. */
    public static TraefikHAClusterSpec dualStack(TraefikHAClusterSpec spec) {
        spec.vip.addresses = List.of(spec.vip.address, VIP6 + "/" + TestBed.PREFIX6_LENGTH);
        spec.primary.address6 = PRIMARY_ADDRESS6 + "/" + TestBed.PREFIX6_LENGTH;
        spec.secondary.address6 = SECONDARY_ADDRESS6 + "/" + TestBed.PREFIX6_LENGTH;
        return spec;
    }

    /** Puts IPv6 on the bed: both hosts (kept across link downs and restarts) and the client get their IPv6 address. */
    public void enableIpv6() {
        primary.addAddress6(PRIMARY_ADDRESS6);
        secondary.addAddress6(SECONDARY_ADDRESS6);
        bed.enableIpv6InClient();
    }

    public BedHost host(Role role) {
        return role == Role.PRIMARY ? primary : secondary;
    }

    public NodeSession open(Role role) {
        BedHost host = host(role);
        return access.open(new NodeEndpoint(host.address(), 22, "root"), bed.ed25519Key(),
                new HostKeyPolicy.TrustOnFirstUse(host.hostKeyFingerprint()));
    }

    /**
     * Brings keepalived on both nodes to the spec exactly as the operator does: the rendered files, one probe per node
     * over SSH, the node planner, and its actions applied over the same sessions.
     *
     * @return the actions that were needed (none when everything was already in place)
     */
    public List<NodeAction> deploy(TraefikHAClusterSpec spec, String password) {
        return deploy(spec, password, spec.vip.notifyWebhookUrl);
    }

    /** The same, with the notify webhook's URL as the operator read it from the spec or its Secret. */
    public List<NodeAction> deploy(TraefikHAClusterSpec spec, String password, String webhookUrl) {
        Period period = period(spec, password, webhookUrl);
        if (period.failure() != null) {
            throw period.failure();
        }
        return period.plan().actions();
    }

    /**
     * One period of keepalived as the operator's: probes, the node planner (its findings are the conditions the
     * operator would report), and the actions carried out until one fails, as the operator stops at the first failure.
     */
    public Period period(TraefikHAClusterSpec spec, String password, String webhookUrl) {
        return period(spec, password, webhookUrl, java.util.Optional.empty());
    }

    /** The same during a handover to PINNED (maintenance, a rolling upgrade), as the operator renders it then. */
    public Period period(TraefikHAClusterSpec spec, String password, String webhookUrl, java.util.Optional<Role> pinned) {
        return period(spec, KeepalivedNodeFiles.render(spec, "bed", password, pinned, webhookUrl));
    }

    /** The same with each node's heartbeat URL as the operator read it from spec.heartbeat's Secret. */
    public List<NodeAction> deployWithHeartbeat(TraefikHAClusterSpec spec, Map<Role, String> heartbeatUrls) {
        Period period = period(spec, KeepalivedNodeFiles.render(spec, "bed", null, java.util.Optional.empty(), null,
                heartbeatUrls));
        if (period.failure() != null) {
            throw period.failure();
        }
        return period.plan().actions();
    }

    private Period period(TraefikHAClusterSpec spec, Map<Role, List<ManagedFile>> files) {
        try (SshNodeGateway nodes = gateway(spec)) {
            Map<Role, NodeObservation> probes = new TreeMap<>();
            for (Role role : Role.pair()) {
                probes.put(role, nodes.probe(role, files.get(role)));
                if (!probes.get(role).reachable()) {
                    throw new IllegalStateException("the " + role.label() + " cannot be probed: " + probes.get(role).problem());
                }
            }
            NodePlan plan = NodePlanner.plan(probes, files, spec.vip.preempt);
            try {
                plan.actions().forEach(nodes::apply);
                return new Period(plan, null);
            } catch (ExternalSystemException e) {
                return new Period(plan, e);
            }
        }
    }

    /**
     * What one period planned and, if an action failed, why.
     *
     * @param failure the first action's failure (the rest were not tried), or null
     */
    public record Period(NodePlan plan, ExternalSystemException failure) {

        /** The finding of this condition type. */
        public Finding finding(String type) {
            return plan.findings().stream().filter(f -> f.type().equals(type)).findFirst().orElseThrow();
        }
    }

    /** The operator's node gateway for SPEC on this pair (the sync key goes into the bed's authorized keys). */
    public SshNodeGateway gateway(TraefikHAClusterSpec spec) {
        return new SshNodeGateway(access, spec, bed.ed25519Key(), hostKeyPolicies(), AUTHORIZED_KEYS);
    }

    /**
     * A failover drill of a service on the node holding the VIP, exactly as the operator plans and runs it (over SSH),
     * with the operator's VIP probe asked from the bed's client namespace. StopContainer needs Proxmox: OperatorE2ETest.
     */
    public DrillExecutor.Outcome drill(TraefikHAClusterSpec spec, DrillScenario scenario, List<DrillStatus> journal) {
        List<Role> holders = primary.holds(VIP) ? List.of(Role.PRIMARY) : List.of(Role.SECONDARY);
        DrillSpec drill = new DrillSpec();
        drill.scenario = scenario;
        Instant now = Instant.now();
        DrillPlanner.Decision decision = DrillPlanner.plan(new DrillPlanner.Situation(drill, "e2e", null, now, now, null,
                false, holders, "traefik", Map.of()));
        if (!(decision instanceof DrillPlanner.Run run)) {
            throw new IllegalStateException("the planner did not run the drill: " + decision);
        }
        Map<Role, List<ManagedFile>> files = KeepalivedNodeFiles.render(spec, "bed", null);
        try (SshNodeGateway nodes = new SshNodeGateway(access, spec, bed.ed25519Key(), hostKeyPolicies());
                NamespaceVipProber prober = bed.vipProber(VIP)) {
            Action.Executor act = new Action.Executor() {
                @Override
                public void proxmox(ProxmoxAction action) {
                    throw new UnsupportedOperationException("a pair without Proxmox cannot " + action.describe());
                }

                @Override
                public void firewall(FirewallAction action) {
                    throw new UnsupportedOperationException("a drill changes no firewall: " + action.describe());
                }

                @Override
                public void node(NodeAction action) {
                    nodes.apply(action);
                }
            };
            return new DrillExecutor(Clock.systemUTC(), DrillExecutor.Timing.DEFAULT).execute(run, nodes, act, files, prober,
                    journal::add, spec.vip.preempt, Duration.ZERO);
        }
    }

    private Map<Role, HostKeyPolicy> hostKeyPolicies() {
        return Map.of(Role.PRIMARY, new HostKeyPolicy.TrustOnFirstUse(primary.hostKeyFingerprint()),
                Role.SECONDARY, new HostKeyPolicy.TrustOnFirstUse(secondary.hostKeyFingerprint()));
    }

    /** Stops keepalived on both and removes the VIPs wherever they are left, so the next profile starts clean. */
    public void stopKeepalived() {
        for (BedHost host : new BedHost[] {primary, secondary}) {
            host.systemctl("stop keepalived");
            host.exec("ip addr del " + VIP + "/" + TestBed.PREFIX_LENGTH + " dev eth0 2>/dev/null; ip -6 addr del " + VIP6 + "/"
                    + TestBed.PREFIX6_LENGTH + " dev eth0 2>/dev/null; rm -f /run/traefik-ha/vrrp-state");
        }
    }

    /** Exactly one host holds the VIP, and it is HOST. */
    public boolean onlyHolder(BedHost host) {
        return onlyHolder(host, VIP);
    }

    /** Exactly one host holds VIP_ADDRESS (either family), and it is HOST. */
    public boolean onlyHolder(BedHost host, String vipAddress) {
        BedHost other = host == primary ? secondary : primary;
        return host.holds(vipAddress) && !other.holds(vipAddress);
    }

    /** Polls CONDITION every 20 ms; true as soon as it holds, false after TIMEOUT. */
    public static boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            TestBed.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        bed.close();
    }
}
