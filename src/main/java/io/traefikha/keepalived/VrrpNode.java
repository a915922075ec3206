package io.traefikha.keepalived;

import io.traefikha.api.v1alpha1.ContainerSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.api.v1alpha1.VipSpec;
import io.traefikha.domain.Role;
import java.util.List;
import java.util.Optional;

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
     * A node of the pair.
     *
     * @param pinnedHolder during a VIP handover, the node that must hold the VIP: it keeps its priority (at least 2) and
     *                     its peer gets one less unless its own is lower already. A gap of one still lets the health
     *                     check move the VIP: a non-zero weight is validated to exceed the configured gap (at least 1).
     */
    public static VrrpNode of(TraefikHAClusterSpec spec, Role role, Optional<Role> pinnedHolder) {
        VipSpec vip = spec.vip;
        int priority = pinnedHolder.map(pinned -> role == pinned ? Math.max(priority(vip, pinned), 2)
                : Math.min(priority(vip, role), Math.max(priority(vip, pinned), 2) - 1)).orElse(priority(vip, role));
        return new VrrpNode(role.label(), spec.container(role), priority, role == Role.PRIMARY,
                pinnedHolder.filter(role::equals).isPresent(), List.of(spec.container(role.peer())));
    }

    private static int priority(VipSpec vip, Role role) {
        return role == Role.PRIMARY ? vip.priorities.primary : vip.priorities.secondary;
    }
}
