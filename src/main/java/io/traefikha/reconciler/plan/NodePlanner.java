package io.traefikha.reconciler.plan;

import io.traefikha.keepalived.Role;
import io.traefikha.reconciler.ConditionTypes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans keepalived on both containers and judges the VIP: install, write the files rendered for each role, keep the
 * service enabled and running, reload it only when its configuration changed; then find who holds the VIP and repair
 * a split brain by its cause. A pure function, table-tested.
 *
 * <p>A node that cannot be probed is reported, never "repaired" blindly. The node that legitimately holds the VIP
 * (keepalived running and MASTER) is never restarted.
 */
public final class NodePlanner {

    public static final String KEEPALIVED = "keepalived";
    /** What a node needs besides keepalived: the health-check script asks Traefik with curl and counts routers with jq. */
    static final List<String> PACKAGES = List.of(KEEPALIVED, "curl", "jq");

    private NodePlanner() {
    }

    /**
     * @param nodes   the probe of each container (a missing entry counts as not probed)
     * @param wanted  the files rendered for each role
     * @param preempt spec.vip.preempt: a healthy primary is expected to hold the VIP
     */
    public static NodePlan plan(Map<Role, NodeObservation> nodes, Map<Role, List<ManagedFile>> wanted, boolean preempt) {
        List<NodeAction> actions = new ArrayList<>();
        Map<Role, Boolean> touched = new EnumMap<>(Role.class);
        List<String> unreachable = new ArrayList<>();
        for (Role role : Role.values()) {
            NodeObservation node = nodes.get(role);
            if (node == null || !node.reachable()) {
                unreachable.add("the " + role.label() + ": " + (node == null ? "not probed" : node.problem()));
                continue;
            }
            List<NodeAction> forNode = configure(node, wanted.getOrDefault(role, List.of()));
            touched.put(role, !forNode.isEmpty());
            actions.addAll(forNode);
        }

        List<Role> holders = nodes.values().stream().filter(n -> n.reachable() && n.vipPresent()).map(NodeObservation::role)
                .sorted().toList();
        List<Finding> findings = new ArrayList<>();
        findings.add(keepalivedConfigured(actions, unreachable));
        if (holders.size() == 2) {
            findings.addAll(splitBrain(nodes, actions));
        } else {
            findings.add(new Finding(ConditionTypes.SPLIT_BRAIN, false, "SingleHolder", "the VIP is not held by both nodes"));
            findings.add(vipHealth(nodes, holders, unreachable, preempt));
        }
        return new NodePlan(actions, findings, holders);
    }

    private static List<NodeAction> configure(NodeObservation node, List<ManagedFile> files) {
        Role role = node.role();
        List<NodeAction> actions = new ArrayList<>();
        if (!node.keepalivedInstalled()) {
            PACKAGES.forEach(p -> actions.add(new NodeAction.InstallPackage(role, p)));
        }
        boolean configChanged = false;
        for (ManagedFile file : files) {
            if (!Objects.equals(node.fileHashes().get(file.path()), file.sha256())) {
                actions.add(new NodeAction.WriteFile(role, file));
                configChanged |= file.reloadsService();
            }
        }
        if (!node.keepalivedEnabled()) {
            actions.add(new NodeAction.EnableService(role, KEEPALIVED));
        }
        if (!node.keepalivedActive()) {
            actions.add(new NodeAction.StartService(role, KEEPALIVED));
        } else if (configChanged) {
            actions.add(new NodeAction.ReloadService(role, KEEPALIVED));
        }
        return actions;
    }

    private static Finding keepalivedConfigured(List<NodeAction> actions, List<String> unreachable) {
        if (!unreachable.isEmpty()) {
            return new Finding(ConditionTypes.KEEPALIVED_CONFIGURED, false, "NodeUnreachable",
                    "cannot check " + String.join("; ", unreachable));
        }
        if (!actions.isEmpty()) {
            return new Finding(ConditionTypes.KEEPALIVED_CONFIGURED, false, "Configuring",
                    actions.size() + " change(s) to make: " + actions.get(0).describe() + (actions.size() > 1 ? ", ..." : ""));
        }
        return new Finding(ConditionTypes.KEEPALIVED_CONFIGURED, true, "Configured",
                "keepalived is installed, configured and running on both nodes");
    }

    /**
     * Both nodes carry the VIP. A node whose keepalived is not running, or is running but not MASTER, holds a stale
     * address (a hard crash leaves it behind): restarting its keepalived removes it. Two live MASTERs mean the adverts
     * do not cross (firewall, multicast filtering, VRID or password mismatch): no restart fixes that, so it is reported.
     */
    private static List<Finding> splitBrain(Map<Role, NodeObservation> nodes, List<NodeAction> actions) {
        List<String> stale = new ArrayList<>();
        for (NodeObservation node : nodes.values()) {
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
        String message = stale.isEmpty()
                ? "both nodes are MASTER and hold the VIP: their VRRP adverts do not reach each other (check the Proxmox"
                        + " firewall for IP protocol 112, multicast filtering, and that both use the same virtualRouterId"
                        + " and password)"
                : "both nodes hold the VIP; the " + String.join(" and ", stale)
                        + " holds a stale address (keepalived not running or not MASTER) and is being cleaned up";
        return List.of(new Finding(ConditionTypes.SPLIT_BRAIN, true, stale.isEmpty() ? "AdvertsNotCrossing" : "StaleAddress",
                        message),
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
        if (preempt && holder.role() == Role.SECONDARY && primary != null && primary.reachable()
                && primary.traefikHealthy() && primary.keepalivedActive()) {
            return new Finding(ConditionTypes.VIP_HEALTHY, true, "HeldByBackup", "the secondary holds the VIP although"
                    + " the primary is healthy; with preemption the primary takes it back (after vip.preemptDelay)");
        }
        return new Finding(ConditionTypes.VIP_HEALTHY, true, "Held", "the " + holder.role().label()
                + " holds the VIP and its Traefik is healthy");
    }
}
