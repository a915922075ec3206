package io.traefikha.api.v1alpha1;

import io.traefikha.domain.Cidr;
import io.traefikha.domain.Role;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Two TraefikHAClusters that would fight over the same thing: the same VIP, the same virtual router id on the same
 * Proxmox bridge (their VRRP adverts would mix), the same container (any replica's VMID), or the same address (any
 * replica's, or the VIP). The older resource keeps it (creation time,
 * then namespace/name); the newer one is refused, naming the other, so they never both go invalid.
 */
public final class CollisionCheck {

    private CollisionCheck() {
    }

    public static List<Violation> against(TraefikHACluster self, List<TraefikHACluster> all) {
        List<Violation> violations = new ArrayList<>();
        TraefikHAClusterSpec mine = self.getSpec();
        for (TraefikHACluster other : all) {
            if (Objects.equals(other.getMetadata().getUid(), self.getMetadata().getUid()) || !olderThan(other, self)
                    || other.getSpec() instanceof UnreadableSpec // what it would claim cannot be known
                    || !SpecValidator.validate(other.getSpec()).isEmpty()) {
                continue;
            }
            TraefikHAClusterSpec theirs = other.getSpec();
            String name = other.id();
            if (Cidr.hostOf(mine.vip.address).equals(Cidr.hostOf(theirs.vip.address))) {
                violations.add(new Violation("spec.vip.address", Cidr.hostOf(mine.vip.address) + " is already the VIP of " + name));
            }
            boolean sameProxmox = proxmoxHost(mine).equals(proxmoxHost(theirs));
            if (sameProxmox && mine.network.bridge.equals(theirs.network.bridge)
                    && mine.vip.virtualRouterId.equals(theirs.vip.virtualRouterId)) {
                violations.add(new Violation("spec.vip.virtualRouterId", "virtual router id " + mine.vip.virtualRouterId
                        + " on bridge " + mine.network.bridge + " is already used by " + name));
            }
            Set<Integer> sameContainers = new HashSet<>();
            if (sameProxmox) {
                Set<Integer> theirVmids = theirs.roles().stream().map(role -> theirs.container(role).vmid)
                        .collect(Collectors.toSet());
                // the secondaries first, then the primary: the order the checks had for a pair
                List<Role> roles = new ArrayList<>(mine.secondaryRoles());
                roles.add(Role.PRIMARY);
                for (Role role : roles) {
                    int vmid = mine.container(role).vmid;
                    if (theirVmids.contains(vmid)) {
                        sameContainers.add(vmid);
                        violations.add(new Violation(mine.field(role) + ".vmid", "CT " + vmid + " is already managed by "
                                + name));
                    }
                }
            }
            Map<String, String> theirAddresses = addresses(theirs);
            String vipOwner = theirAddresses.get(Cidr.hostOf(mine.vip.address));
            if (vipOwner != null && !vipOwner.equals("the VIP")) {
                violations.add(new Violation("spec.vip.address", Cidr.hostOf(mine.vip.address) + " is already the address"
                        + " of " + vipOwner + " of " + name));
            }
            for (Role role : mine.roles()) {
                String host = Cidr.hostOf(mine.container(role).address);
                // the same container claimed twice is told once, by its VMID
                if (theirAddresses.containsKey(host) && !sameContainers.contains(mine.container(role).vmid)) {
                    violations.add(new Violation(mine.field(role) + ".address", host + " is already the address of "
                            + theirAddresses.get(host) + " of " + name));
                }
            }
        }
        return violations;
    }

    /** Every address a resource claims on the LAN (host part) to what it is: "the VIP", "the primary", ... */
    private static Map<String, String> addresses(TraefikHAClusterSpec spec) {
        Map<String, String> addresses = new HashMap<>();
        spec.roles().forEach(role -> addresses.put(Cidr.hostOf(spec.container(role).address), "the " + role.label()));
        addresses.put(Cidr.hostOf(spec.vip.address), "the VIP");
        return addresses;
    }

    private static boolean olderThan(TraefikHACluster a, TraefikHACluster b) {
        Comparator<TraefikHACluster> age = Comparator
                .comparing((TraefikHACluster r) -> Objects.toString(r.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(r -> r.id());
        return age.compare(a, b) < 0;
    }


    private static String proxmoxHost(TraefikHAClusterSpec spec) {
        return URI.create(spec.proxmox.url).getHost();
    }
}
