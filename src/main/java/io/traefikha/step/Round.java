package io.traefikha.step;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.HostIdentityState;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.dns.ServedEvidence;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Finding;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.planner.ClusterMemory;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.NodePlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Everything one reconcile round of one resource shares between its steps: the resource and its spec, the status
 * under construction, the connections, the clock, the actions planned so far, and what the steps observed and decided
 * (each set by the step that learns it, read by the steps after it).
 */
public final class Round {

    private final TraefikHACluster resource;
    private final StatusAggregator status;
    private final ClusterConnections connections;
    private final Clock clock;
    private final List<String> planned = new ArrayList<>();
    private final ClusterMemory memory;
    private ClusterMemory remembered;
    private DurableState durable;
    private boolean lookAgainSoon;
    private boolean proxmoxChangesBlocked;
    private boolean keepalivedSetupBlocked;
    private ReconcileFailure failure;
    private final Duration period;
    private ServedEvidence servedEvidence;

    private ProxmoxObservation proxmox;
    private boolean proxmoxOutage;
    private List<Finding> firewallFindings = List.of();
    private NodeGateway nodes;
    private Map<Role, NodeObservation> probes;
    private Map<Role, List<ManagedFile>> files;
    private Day2Operations.Decision day2 = Day2Operations.Decision.NONE;
    private NodePlan nodePlan;
    private final Map<Role, HostIdentityState> identities = new TreeMap<>();

    /** A round outside the periodic loop (a deletion's): nothing in it is spread over periods. */
    public Round(TraefikHACluster resource, StatusAggregator status, ClusterConnections connections, Clock clock) {
        this(resource, status, connections, clock, Duration.ZERO);
    }

    /** @param period how long until the next round when nothing is under way (work spread over periods uses it) */
    public Round(TraefikHACluster resource, StatusAggregator status, ClusterConnections connections, Clock clock,
            Duration period) {
        this.period = period;
        this.resource = resource;
        this.status = status;
        this.connections = connections;
        this.clock = clock;
        this.memory = MemoryCodec.decode(status.previous());
        this.remembered = memory;
    }

    public TraefikHACluster resource() {
        return resource;
    }

    public TraefikHAClusterSpec spec() {
        return resource.getSpec();
    }

    /** namespace/name, for the log. */
    public String id() {
        return resource.id();
    }

    public boolean dryRun() {
        return resource.getSpec().dryRun;
    }

    public StatusAggregator status() {
        return status;
    }

    public ClusterConnections connections() {
        return connections;
    }

    public Clock clock() {
        return clock;
    }

    /** How long until the next round when nothing is under way. */
    public Duration period() {
        return period;
    }

    /** What the checks of the moved names through the VIP found this round ({@link ServedNamesStep}), for the soak. */
    public ServedEvidence servedEvidence() {
        if (servedEvidence == null) {
            throw new IllegalStateException("the moved names were not checked in this round");
        }
        return servedEvidence;
    }

    public void servedEvidence(ServedEvidence evidence) {
        this.servedEvidence = evidence;
    }

    /** The time now, to the second, as status writes it. */
    public String timestamp() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** What earlier rounds left for this one, as it was when the round began. */
    public ClusterMemory memory() {
        return memory;
    }

    /** Records a fact for later rounds (written to status.memory at the end of the round). */
    public void remember(UnaryOperator<ClusterMemory> change) {
        remembered = change.apply(remembered);
    }

    /** The memory with this round's changes. */
    public ClusterMemory remembered() {
        return remembered;
    }

    /**
     * The facts kept in the resource's state object ({@link DurableStateStore}), read on first use in the round.
     *
     * @throws ExternalSystemException when the state cannot be read; nothing that depends on it may be done then
     */
    public DurableState durable() {
        if (durable == null) {
            durable = connections.durableState().load();
        }
        return durable;
    }

    /**
     * Changes facts in the resource's state object at once (not at the end of the round): when this returns the API
     * has stored them, so what they protect may be done now (write-ahead). Nothing is written when nothing changes.
     *
     * @throws ExternalSystemException when the state cannot be written; what it protects must not be done then
     */
    public void persist(UnaryOperator<DurableState> change) {
        DurableState next = change.apply(durable());
        if (!next.equals(durable)) {
            connections.durableState().save(next);
            durable = next;
        }
    }

    /**
     * When the primary was stopped for a clone, for the status mirror: as stored, or as the last status said when this
     * round did not read the state.
     */
    Instant primaryStoppedForCloneSince() {
        return durable != null ? durable.primaryStoppedForCloneSince()
                : MemoryCodec.primaryStoppedForCloneSince(status.previous());
    }

    /** Adds what a step would do (dry run) or does, for status.plannedActions. */
    public void planned(String action) {
        planned.add(action);
    }

    public List<String> planned() {
        return List.copyOf(planned);
    }

    /** Something is under way that the next look should confirm soon (a clone, a lock, changes on the nodes). */
    /** Preflight failed: no change is made on Proxmox this round (node work on a provisioned pair goes on). */
    public void blockProxmoxChanges() {
        proxmoxChangesBlocked = true;
    }

    public boolean proxmoxChangesBlocked() {
        return proxmoxChangesBlocked;
    }

    /**
     * Preflight found the VIP in use or the container unable to run keepalived: keepalived is not set up for the first
     * time this round (a pair whose keepalived is configured is not affected: preflight does not check it then).
     */
    public void blockKeepalivedSetup() {
        keepalivedSetupBlocked = true;
    }

    public boolean keepalivedSetupBlocked() {
        return keepalivedSetupBlocked;
    }

    public void lookAgainSoon() {
        lookAgainSoon = true;
    }

    public boolean looksAgainSoon() {
        return lookAgainSoon;
    }

    /** A step failed in a way it did not foresee; the round ends there ({@link ClusterReconciliation}). */
    void failed(ReconcileFailure unforeseen) {
        this.failure = unforeseen;
    }

    public Optional<ReconcileFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * A condition from an external failure: a missing or unreadable Secret, the resource's state object that cannot be
     * read or written, or the system not answering.
     */
    public void unreachable(String type, ExternalSystemException e) {
        String reason = switch (e.system()) {
            case "secret" -> "SecretProblem";
            case "state" -> "StateUnavailable";
            default -> "Unreachable";
        };
        status.condition(type, false, reason, e.getMessage());
    }

    /** The planners' findings as conditions. */
    public void report(List<Finding> findings) {
        findings.forEach(f -> status.condition(f.type(), f.status(), f.reason(), f.message()));
    }

    /**
     * The pair serves the VIP with redundancy. DNS is not part of it: names move in phases over days, and only while
     * this holds.
     */
    public boolean haReady() {
        return status.isTrue(ConditionTypes.SECONDARY_PROVISIONED) && status.isTrue(ConditionTypes.FIREWALL_READY)
                && status.isTrue(ConditionTypes.KEEPALIVED_CONFIGURED) && status.isTrue(ConditionTypes.VIP_HEALTHY)
                && !status.isTrue(ConditionTypes.SPLIT_BRAIN) && !status.isFalse(ConditionTypes.IPV6_VIP_HELD)
                && status.isTrue(ConditionTypes.PROXMOX_REACHABLE)
                && !status.isFalse(ConditionTypes.CONFIG_IN_SYNC) && !status.isFalse(ConditionTypes.ROUTES_MATCH);
    }

    /** The first condition of this round that says something is not right, as "Type: message". */
    public String firstProblem() {
        Condition problem = status.firstFalse();
        return problem == null ? "not yet observed" : problem.type + ": " + problem.message;
    }

    /**
     * Whether the VIP is served: by who holds it as probed this round, or without a look at the nodes, by the last
     * phase.
     */
    public boolean serving() {
        if (nodePlan != null) {
            return !nodePlan.holders().isEmpty();
        }
        ClusterPhase last = status.previous().phase;
        return last == ClusterPhase.Ready || last == ClusterPhase.Degraded;
    }

    /** What Proxmox showed this round ({@link SecondaryStep}), or during an outage what the last status showed. */
    public ProxmoxObservation proxmox() {
        return proxmox;
    }

    void proxmox(ProxmoxObservation seen) {
        this.proxmox = seen;
    }

    /**
     * Proxmox did not answer this round, and the pair was already provisioned: {@link #proxmox()} is the last known
     * state, the steps that need Proxmox (the secondary, the firewalls) are skipped, and those over SSH go on.
     */
    public boolean proxmoxOutage() {
        return proxmoxOutage;
    }

    void proxmoxOutage(ProxmoxObservation lastKnown) {
        this.proxmox = lastKnown;
        this.proxmoxOutage = true;
    }

    /** This round's firewall findings ({@link FirewallStep}), for the split-brain judgement. */
    public List<Finding> firewallFindings() {
        return firewallFindings;
    }

    void firewallFindings(List<Finding> findings) {
        this.firewallFindings = List.copyOf(findings);
    }

    /** The nodes, as opened, probed and planned by {@link KeepalivedStep}. */
    public NodeGateway nodes() {
        return nodes;
    }

    public Map<Role, NodeObservation> probes() {
        return probes;
    }

    /** The keepalived files for this round, with the VIP pinned where a handover wants it. */
    public Map<Role, List<ManagedFile>> files() {
        return files;
    }

    public Day2Operations.Decision day2() {
        return day2;
    }

    public NodePlan nodePlan() {
        return nodePlan;
    }

    void nodes(NodeGateway nodes, Map<Role, NodeObservation> probes) {
        this.nodes = nodes;
        this.probes = Map.copyOf(probes);
    }

    void keepalived(Map<Role, List<ManagedFile>> files, Day2Operations.Decision day2, NodePlan nodePlan) {
        this.files = files;
        this.day2 = day2;
        this.nodePlan = nodePlan;
    }

    /** A secondary's host identity as {@link IdentityStep} found or made it this round; null when not decided. */
    public HostIdentityState identity(Role secondary) {
        return identities.get(secondary);
    }

    void identity(Role secondary, HostIdentityState identity) {
        identities.put(secondary, identity);
    }

    /** Every node answered its probe this round. */
    public boolean everyNodeAnswered() {
        return probes != null && probes.values().stream().allMatch(NodeObservation::reachable);
    }

    /** This node answered its probe this round. */
    public boolean answered(Role role) {
        return probes != null && probes.containsKey(role) && probes.get(role).reachable();
    }
}
