package io.traefikha.planner;

import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Finding;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans keepalived on every container and judges the VIP: install, write the files rendered for each role, keep the
 * service enabled and running, reload it only when its configuration changed; then find who holds the VIP and repair
 * a split brain by its cause. A pure function, table-tested.
 *
 * <p>A node that cannot be probed is reported, never "repaired" blindly. The node that legitimately holds the VIP
 * (keepalived running and MASTER) is never restarted.
 */
public final class NodePlanner {

    public static final String KEEPALIVED = "keepalived";
    /** SplitBrain reasons for which keepalived was stopped on the node that is not preferred, until the cause is gone. */
    public static final String ADVERTS_BLOCKED_BY_FIREWALL = "AdvertsBlockedByFirewall";
    public static final String ADVERTS_NOT_CROSSING = "AdvertsNotCrossing";
    public static final Set<String> HOLD_REASONS = Set.of(ADVERTS_BLOCKED_BY_FIREWALL,
            ADVERTS_NOT_CROSSING);
    /** KeepalivedConfigured's (and LsyncdRunning's) reason while a daemon runs an older configuration than the one written. */
    public static final String NOT_APPLIED = "NotApplied";
    /** Two live MASTERs seen on one look only: reported, nothing stopped yet. */
    public static final String TWO_MASTERS_UNCONFIRMED = "TwoMastersUnconfirmed";
    /** SplitBrain reasons that mean the last look found two live MASTERs. */
    public static final Set<String> TWO_MASTER_REASONS = Set.of(TWO_MASTERS_UNCONFIRMED, ADVERTS_BLOCKED_BY_FIREWALL,
            ADVERTS_NOT_CROSSING);
    /** What a node needs besides keepalived: the health-check script asks Traefik with curl and counts routers with jq. */
    static final List<String> PACKAGES = List.of(KEEPALIVED, "curl", "jq");

    private NodePlanner() {
    }

    /**
     * @param nodes   the probe of each container (a missing entry counts as not probed)
     * @param wanted  the files rendered for each role: every replica has an entry
     * @param preempt spec.vip.preempt: a healthy primary is expected to hold the VIP
     */
    public static NodePlan plan(Map<Role, NodeObservation> nodes, Map<Role, List<ManagedFile>> wanted, boolean preempt) {
        return plan(nodes, wanted, preempt, SplitBrainContext.none());
    }

    /**
     * @param splitBrain the firewall's verdict on VRRP and a node held back by an earlier split brain
     */
    public static NodePlan plan(Map<Role, NodeObservation> nodes, Map<Role, List<ManagedFile>> wanted, boolean preempt,
            SplitBrainContext splitBrain) {
        List<NodeAction> actions = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        Set<Role> roles = new TreeSet<>(wanted.keySet());
        roles.addAll(nodes.keySet());
        for (Role role : roles) {
            NodeObservation node = nodes.get(role);
            if (node == null || !node.reachable()) {
                unreachable.add("the " + role.label() + ": " + (node == null ? "not probed" : node.problem()));
                continue;
            }
            actions.addAll(configure(node, wanted.getOrDefault(role, List.of())));
        }

        List<Role> holders = nodes.values().stream().filter(n -> n.reachable() && n.vipPresent()).map(NodeObservation::role)
                .sorted().toList();
        List<Finding> findings = new ArrayList<>();
        HeldBack held = heldBack(nodes, splitBrain);
        if (held != null && !mayStartAgain(held.holder(), splitBrain)) {
            return keepHeldBack(held, nodes, holders, actions, unreachable, preempt, splitBrain);
        }
        findings.add(keepalivedConfigured(actions, unreachable, roles.size()));
        if (holders.size() >= 2) {
            findings.addAll(splitBrain(nodes, holders, wanted, actions, splitBrain));
        } else {
            findings.add(held != null
                    ? new Finding(ConditionTypes.SPLIT_BRAIN, false, "Resolved", "keepalived on the " + held.labels()
                            + " is started again: " + resolution(held.holder(), splitBrain))
                    : new Finding(ConditionTypes.SPLIT_BRAIN, false, "SingleHolder", "the VIP is held by one node at most"));
            findings.add(vipHealth(nodes, holders, unreachable, preempt));
        }
        return new NodePlan(actions, findings, holders);
    }

    /** The nodes an earlier split brain stopped keepalived on, and the one node left holding the VIP. */
    private record HeldBack(List<Role> stopped, NodeObservation holder) {
        String labels() {
            return String.join(" and the ", stopped.stream().map(Role::label).toList());
        }
    }

    /**
     * The nodes an earlier split brain stopped keepalived on, if that still describes what is seen: the condition says
     * so, every node answered, exactly one runs keepalived as MASTER with the VIP, and keepalived is stopped on the
     * others that hold back (with more than a pair, nodes still running as BACKUP are not held back).
     */
    private static HeldBack heldBack(Map<Role, NodeObservation> nodes, SplitBrainContext splitBrain) {
        if (splitBrain.heldBack() == null || !HOLD_REASONS.contains(splitBrain.heldBack().cause())
                || nodes.values().stream().anyMatch(node -> !node.reachable())) {
            return null;
        }
        List<NodeObservation> masters = nodes.values().stream()
                .filter(node -> node.keepalivedActive() && node.master() && node.vipPresent()).toList();
        List<Role> stopped = nodes.values().stream().filter(node -> !node.keepalivedActive()).map(NodeObservation::role)
                .sorted().toList();
        return masters.size() == 1 && !stopped.isEmpty() ? new HeldBack(stopped, masters.get(0)) : null;
    }

    /** Starting the held-back node would bring the second MASTER back: it stays stopped while the cause lasts. */
    private static NodePlan keepHeldBack(HeldBack held, Map<Role, NodeObservation> nodes, List<Role> holders,
            List<NodeAction> actions, List<String> unreachable, boolean preempt, SplitBrainContext splitBrain) {
        actions.removeIf(a -> held.stopped().contains(a.role()) && a instanceof NodeAction.StartService);
        String cause = splitBrain.heldBack().cause();
        return new NodePlan(actions, List.of(
                new Finding(ConditionTypes.KEEPALIVED_CONFIGURED, false, "HeldBack", "keepalived on the " + held.labels()
                        + " is stopped on purpose (see SplitBrain)"),
                new Finding(ConditionTypes.SPLIT_BRAIN, true, cause, "keepalived on the " + held.labels() + " was stopped so"
                        + " that only the " + held.holder().role().label() + " holds the VIP, because "
                        + causeText(cause, splitBrain)
                        + "; it is started again " + whenStartedAgain(cause)),
                vipHealth(nodes, holders, unreachable, preempt)), holders);
    }

    /** The cause is gone, or the node left holding the VIP is no longer healthy (then redundancy wins). */
    private static boolean mayStartAgain(NodeObservation holder, SplitBrainContext splitBrain) {
        return resolution(holder, splitBrain) != null;
    }

    private static String resolution(NodeObservation holder, SplitBrainContext splitBrain) {
        if (!holder.traefikHealthy()) {
            return "the " + holder.role().label() + " holding the VIP is not healthy";
        }
        String cause = splitBrain.heldBack().cause();
        if (ADVERTS_BLOCKED_BY_FIREWALL.equals(cause) && splitBrain.firewallProblem() == null) {
            return "the Proxmox firewall lets VRRP through now";
        }
        if (ADVERTS_NOT_CROSSING.equals(cause) && splitBrain.now() != null
                && !splitBrain.now().isBefore(splitBrain.heldBack().since().plus(SplitBrainContext.RETRY_AFTER))) {
            return "trying again after " + SplitBrainContext.RETRY_AFTER.toMinutes() + " min (if the adverts still do"
                    + " not cross, it is stopped again)";
        }
        return null;
    }

    private static String whenStartedAgain(String cause) {
        return ADVERTS_BLOCKED_BY_FIREWALL.equals(cause) ? "once the firewall lets VRRP through"
                : "every " + SplitBrainContext.RETRY_AFTER.toMinutes() + " min to check whether the adverts cross now";
    }

    private static String causeText(String cause, SplitBrainContext splitBrain) {
        return ADVERTS_BLOCKED_BY_FIREWALL.equals(cause)
                ? "the Proxmox firewall drops the VRRP adverts between the nodes (" + splitBrain.firewallProblem() + ")"
                : "the VRRP adverts did not reach the other node although both run the rendered configuration (same"
                        + " virtual_router_id and password) and the Proxmox firewall lets IP protocol 112 through:"
                        + " something between them drops them (multicast filtering or IGMP snooping on the bridge or"
                        + " switch, a VLAN mismatch)";
    }

    /**
     * Written is not applied: keepalived reads its configuration (and vets its scripts) only when it starts or reloads,
     * so a running keepalived is reloaded after a file it loads was rewritten, and also when the disk holds what is
     * wanted but its last load read something older (the operator stopped between writing and reloading, or the reload
     * failed), as the node's record of that load tells ({@link NodeObservation#loadedHashes()}).
     */
    private static List<NodeAction> configure(NodeObservation node, List<ManagedFile> files) {
        Role role = node.role();
        List<NodeAction> actions = new ArrayList<>();
        if (!node.keepalivedInstalled()) {
            PACKAGES.forEach(p -> actions.add(new NodeAction.InstallPackage(role, p)));
        }
        boolean rewritten = false;
        boolean notApplied = false;
        for (ManagedFile file : files) {
            boolean loadsOld = !file.appliedBy(node.loadedHashes());
            if (!Objects.equals(node.fileHashes().get(file.path()), file.sha256())) {
                actions.add(new NodeAction.WriteFile(role, file));
                // a rewritten configuration is reloaded even if the record matches: keepalived may have loaded a hand edit
                rewritten |= file.reloadsService() || loadsOld;
            } else {
                notApplied |= loadsOld;
            }
        }
        if (!node.keepalivedEnabled()) {
            actions.add(new NodeAction.EnableService(role, KEEPALIVED));
        }
        if (!node.keepalivedActive()) {
            actions.add(new NodeAction.StartService(role, KEEPALIVED));
        } else if (rewritten || notApplied) {
            actions.add(new NodeAction.ReloadService(role, KEEPALIVED,
                    rewritten ? "its configuration changed" : NodeAction.NOT_APPLIED));
        }
        return actions;
    }

    private static Finding keepalivedConfigured(List<NodeAction> actions, List<String> unreachable, int replicas) {
        if (!unreachable.isEmpty()) {
            return new Finding(ConditionTypes.KEEPALIVED_CONFIGURED, false, "NodeUnreachable",
                    "cannot check " + String.join("; ", unreachable));
        }
        if (!actions.isEmpty() && actions.stream().allMatch(NodeAction::appliesWritten)) {
            return new Finding(ConditionTypes.KEEPALIVED_CONFIGURED, false, NOT_APPLIED, "written to the "
                    + String.join(" and the ", actions.stream().map(a -> a.role().label()).toList())
                    + " but keepalived runs an older configuration; reloading");
        }
        if (!actions.isEmpty()) {
            return new Finding(ConditionTypes.KEEPALIVED_CONFIGURED, false, "Configuring",
                    actions.size() + " change(s) to make: " + actions.get(0).describe() + (actions.size() > 1 ? ", ..." : ""));
        }
        return new Finding(ConditionTypes.KEEPALIVED_CONFIGURED, true, "Configured",
                "keepalived is installed, configured and running on " + Role.everyNode(replicas));
    }

    /**
     * More than one node carries the VIP. A node whose keepalived is not running, or is running but not MASTER, holds a stale
     * address (a hard crash leaves it behind): restarting its keepalived removes it. Two live MASTERs mean the adverts
     * do not cross; the likely cause is found in this order: a keepalived.conf that is not the rendered one (its
     * virtual_router_id or password can differ: it is rewritten and reloaded), the Proxmox firewall dropping VRRP, or
     * else something between the nodes. For the last two keepalived is stopped on the holders that are not preferred,
     * so only one node holds the VIP, until the cause is gone. With more than a pair a node that kept running as BACKUP
     * may become MASTER then; if it does not hear the preferred one either, the next looks stop it too.
     */
    private static List<Finding> splitBrain(Map<Role, NodeObservation> nodes, List<Role> holders,
            Map<Role, List<ManagedFile>> wanted, List<NodeAction> actions, SplitBrainContext context) {
        String all = holders.size() == 2 ? "both" : holders.size() + "";
        List<String> stale = new ArrayList<>();
        for (Role holder : holders) {
            NodeObservation node = nodes.get(holder);
            boolean legitimate = node.keepalivedActive() && node.master();
            if (!legitimate) {
                stale.add(node.role().label());
                boolean alreadyStarting = actions.stream().anyMatch(a -> a.role() == node.role()
                        && (a instanceof NodeAction.StartService || a instanceof NodeAction.RestartService));
                if (!alreadyStarting) {
                    actions.add(new NodeAction.RestartService(node.role(), KEEPALIVED,
                            "it carries the VIP without being MASTER, as a crash leaves it"));
                }
            }
        }
        if (!stale.isEmpty()) {
            return splitBrainFindings("StaleAddress", all + " nodes hold the VIP; the " + String.join(" and ", stale)
                    + " holds a stale address (keepalived not running or not MASTER) and is being cleaned up");
        }
        String prefix = all + " nodes are MASTER and hold the VIP: their VRRP adverts do not reach each other. ";
        List<String> mismatches = new ArrayList<>();
        for (Role role : holders) {
            NodeObservation node = nodes.get(role);
            for (ManagedFile file : wanted.getOrDefault(role, List.of())) {
                if (!file.reloadsService()) {
                    continue;
                }
                if (!Objects.equals(node.fileHashes().get(file.path()), file.sha256())) {
                    mismatches.add(file.path() + " on the " + role.label() + " is not the configuration rendered from the"
                            + " spec (edited by hand?)");
                } else if (!file.appliedBy(node.loadedHashes())) {
                    mismatches.add("keepalived on the " + role.label() + " runs an older configuration than the "
                            + file.path() + " written");
                }
            }
        }
        if (!mismatches.isEmpty()) {
            return splitBrainFindings("ConfigMismatch", prefix + String.join(" and ", mismatches) + ", so its"
                    + " virtual_router_id or password can differ from the other node's; it is rewritten where it differs"
                    + " and keepalived reloaded");
        }
        if (!context.twoMastersBefore()) {
            return splitBrainFindings(TWO_MASTERS_UNCONFIRMED, prefix + "Seen once: a failover between the two probes"
                    + " looks the same, so nothing is stopped unless the next look finds it again");
        }
        Role preferred = preferred(nodes, holders);
        List<Role> stopped = holders.stream().filter(holder -> !holder.equals(preferred)).toList();
        stopped.forEach(role -> actions.add(new NodeAction.StopService(role, KEEPALIVED)));
        String cause = context.firewallProblem() != null ? ADVERTS_BLOCKED_BY_FIREWALL : ADVERTS_NOT_CROSSING;
        return splitBrainFindings(cause, prefix + "Likely cause: " + causeText(cause, context) + ". keepalived on the "
                + String.join(" and the ", stopped.stream().map(Role::label).toList()) + " is stopped so that only the "
                + preferred.label() + " holds the VIP; it is started again " + whenStartedAgain(cause));
    }

    /** The holder with the highest priority (the first in role order) whose Traefik is healthy, else the first holder. */
    private static Role preferred(Map<Role, NodeObservation> nodes, List<Role> holders) {
        return holders.stream().filter(role -> nodes.get(role).traefikHealthy()).findFirst().orElse(holders.get(0));
    }

    private static List<Finding> splitBrainFindings(String reason, String message) {
        return List.of(new Finding(ConditionTypes.SPLIT_BRAIN, true, reason, message),
                new Finding(ConditionTypes.VIP_HEALTHY, false, "SplitBrain", message));
    }

    private static Finding vipHealth(Map<Role, NodeObservation> nodes, List<Role> holders, List<String> unreachable,
            boolean preempt) {
        if (holders.isEmpty()) {
            String why = unreachable.isEmpty() ? "" : " (could not check " + String.join("; ", unreachable) + ")";
            return new Finding(ConditionTypes.VIP_HEALTHY, false, "NoHolder", "no node holds the VIP" + why);
        }
        NodeObservation holder = nodes.get(holders.get(0));
        if (!holder.traefikHealthy()) {
            return new Finding(ConditionTypes.VIP_HEALTHY, false, "HolderUnhealthy", "the " + holder.role().label()
                    + " holds the VIP but its Traefik is not healthy");
        }
        NodeObservation primary = nodes.get(Role.PRIMARY);
        if (preempt && holder.role() != Role.PRIMARY && primary != null && primary.reachable()
                && primary.traefikHealthy() && primary.keepalivedActive()) {
            return new Finding(ConditionTypes.VIP_HEALTHY, true, "HeldByBackup", "the " + holder.role().label()
                    + " holds the VIP although"
                    + " the primary is healthy; with preemption the primary takes it back (after vip.preemptDelay)");
        }
        return new Finding(ConditionTypes.VIP_HEALTHY, true, "Held", "the " + holder.role().label()
                + " holds the VIP and its Traefik is healthy");
    }
}
