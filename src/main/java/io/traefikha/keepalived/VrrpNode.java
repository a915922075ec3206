package io.traefikha.keepalived;

import io.traefikha.api.v1alpha1.ContainerSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.api.v1alpha1.MaintenanceSpec;
import io.traefikha.domain.Role;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One node of the VIP's VRRP instances as its keepalived.conf describes it: the container, its priority, whether it is
 * the node the spec prefers (which starts as MASTER when it preempts at once), whether a handover pins the VIP to it, and
 * the peers its unicast adverts go to: the one other node of a pair, every other replica of more.
 *
 * @param label   how the node is named in the file's header, e.g. "primary"
 * @param primary the node with the highest configured priority
 * @param pinned  a handover pins the VIP to this node: it preempts at once (no nopreempt, no preempt_delay)
 */
public record VrrpNode(String label, ContainerSpec container, int priority, boolean primary, boolean pinned,
        List<ContainerSpec> peers) {

    public VrrpNode {
        peers = List.copyOf(peers);
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("a VRRP node needs at least one peer");
        }
    }

    /**
     * The node of this role among all of the spec's replicas.
     *
     * @param pinnedHolder during a VIP handover, the node that must hold the VIP: it keeps its priority (at least the
     *                     number of replicas), and every other node is put below it, in role order (the node under
     *                     maintenance last, so a failing holder hands the VIP to another healthy replica before it) and
     *                     each at least one lower than the one before, unless its own priority is lower already. A gap of
     *                     one still lets the health check move the VIP: a non-zero weight is validated to exceed the
     *                     spread of the configured priorities, which is wider than any spread here.
     */
    public static VrrpNode of(TraefikHAClusterSpec spec, Role role, Optional<Role> pinnedHolder) {
        List<Role> roles = spec.roles();
        int priority = pinnedHolder.map(pinned -> pinnedPriorities(spec, pinned).get(role))
                .orElse(spec.vip.priority(role));
        List<ContainerSpec> peers = roles.stream().filter(other -> !other.equals(role)).map(spec::container).toList();
        return new VrrpNode(role.label(), spec.container(role), priority, role == Role.PRIMARY,
                pinnedHolder.filter(role::equals).isPresent(), peers);
    }

    private static Map<Role, Integer> pinnedPriorities(TraefikHAClusterSpec spec, Role pinned) {
        Optional<Role> maintained = Optional.ofNullable(spec.maintenance).map(MaintenanceSpec::role);
        List<Role> others = spec.roles().stream().filter(role -> !role.equals(pinned))
                .sorted(Comparator.comparing(role -> maintained.filter(role::equals).isPresent())).toList();
        Map<Role, Integer> priorities = new TreeMap<>();
        int pinnedPriority = Math.max(spec.vip.priority(pinned), spec.roles().size());
        priorities.put(pinned, pinnedPriority);
        int cap = pinnedPriority - 1;
        for (Role other : others) {
            int priority = Math.min(spec.vip.priority(other), cap);
            priorities.put(other, priority);
            cap = priority - 1;
        }
        return priorities;
    }
}
