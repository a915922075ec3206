package io.traefikha.planner;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.Finding;
import io.traefikha.domain.ProxmoxObservation;
import io.traefikha.domain.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Whether the replicas survive the loss of one Proxmox host: two replicas on one node are allowed (a homelab may have
 * one node, or run so during maintenance) but are a warning, {@link ConditionTypes#SINGLE_HOST}. Judged on where
 * Proxmox really has the containers; a secondary not yet placed (missing, or a fresh clone beside the primary that is
 * still to be migrated) counts where its spec's node will put it.
 */
public final class HostSeparation {

    private HostSeparation() {
    }

    /** One SingleHost finding, or none while the primary is not found (nothing to compare). */
    public static List<Finding> of(TraefikHAClusterSpec spec, ProxmoxObservation seen) {
        if (!seen.primary().exists()) {
            return List.of();
        }
        Map<Role, String> nodes = new LinkedHashMap<>();
        Set<Role> placed = new HashSet<>();
        for (Role role : spec.roles()) {
            ContainerObservation ct = seen.container(role);
            boolean there = role == Role.PRIMARY || ct.exists() && ct.hasAddress(spec.container(role).address);
            nodes.put(role, there ? ct.node() : spec.container(role).node);
            if (there) {
                placed.add(role);
            }
        }
        Map<String, List<Role>> byNode = nodes.keySet().stream()
                .collect(Collectors.groupingBy(nodes::get, LinkedHashMap::new, Collectors.toList()));
        List<String> shared = new ArrayList<>();
        byNode.forEach((node, roles) -> {
            if (roles.size() > 1) {
                shared.add(sameNode(spec, node, roles, placed::contains, nodes.size()));
            }
        });
        if (shared.isEmpty()) {
            String where = spec.secondaryRoles().stream().map(role -> ", the " + role.label()
                    + (placed.contains(role) ? " on " : " goes to ") + nodes.get(role)).collect(Collectors.joining());
            return List.of(new Finding(ConditionTypes.SINGLE_HOST, false, "SeparateNodes", "the primary runs on Proxmox node "
                    + nodes.get(Role.PRIMARY) + where));
        }
        return List.of(new Finding(ConditionTypes.SINGLE_HOST, true, "SameNode", String.join("; ", shared)));
    }

    /**
     * These replicas (in role order) on one node: who, what one host failure leaves, and how to move them apart: every
     * one but the first (the primary stays where it is).
     */
    private static String sameNode(TraefikHAClusterSpec spec, String node, List<Role> roles, Predicate<Role> placed,
            int replicas) {
        String who = names(roles.stream().map(role -> "the " + role.label() + " CT " + spec.container(role).vmid).toList());
        String all = roles.size() == 2 ? "both" : "all";
        String left = roles.size() == replicas ? "so the VIP has no protection against it" : "leaving only "
                + names(spec.roles().stream().filter(role -> !roles.contains(role)).map(role -> "the " + role.label())
                        .toList()) + " to hold the VIP";
        String fix = names(roles.subList(1, roles.size()).stream().map(role -> placed.test(role) ? "migrate the " + role.label()
                + " to another node (pct migrate " + spec.container(role).vmid + " <node> --restart)"
                : "set " + spec.field(role) + ".node to another node").toList());
        return who + (roles.stream().allMatch(placed) ? " " + all + " run" : " will " + all + " run") + " on Proxmox node "
                + node + ": a failure of that host takes " + (roles.size() == 2 ? "both" : "all " + roles.size())
                + " down, " + left + "; " + fix + " for that";
    }

    /** "a", "a and b", "a, b and c". */
    private static String names(List<String> parts) {
        return parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }
}
