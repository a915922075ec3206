package io.traefikha.api.v1alpha1;

import io.traefikha.domain.Cidr;
import io.traefikha.domain.Role;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Two TraefikHAClusters that would fight over the same thing: the same VIP, the same virtual router id on the same
 * Proxmox bridge (their VRRP adverts would mix), or the same container. The older resource keeps it (creation time,
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
            if (sameProxmox) {
                Set<Integer> theirVmids = Set.of(theirs.primary.vmid, theirs.secondary(Role.SECONDARY).vmid);
                if (theirVmids.contains(mine.secondary(Role.SECONDARY).vmid)) {
                    violations.add(new Violation("spec.secondary.vmid", "CT " + mine.secondary(Role.SECONDARY).vmid + " is already managed by "
                            + name));
                }
                if (theirVmids.contains(mine.primary.vmid)) {
                    violations.add(new Violation("spec.primary.vmid", "CT " + mine.primary.vmid + " is already managed by "
                            + name));
                }
            }
        }
        return violations;
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
