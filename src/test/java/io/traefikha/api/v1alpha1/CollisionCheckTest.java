package io.traefikha.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CollisionCheckTest {

    private final TraefikHACluster older = resource("first", "2026-01-01T00:00:00Z", s -> { });

    @Test
    void distinctClustersDoNotCollide() {
        TraefikHACluster newer = resource("second", "2026-02-01T00:00:00Z", CollisionCheckTest::elsewhere);

        assertThat(CollisionCheck.against(newer, List.of(older, newer))).isEmpty();
    }

    @Test
    void theNewerOfTwoIdenticalClustersIsRefusedNamingTheOlderOne() {
        TraefikHACluster newer = resource("second", "2026-02-01T00:00:00Z", s -> { });

        List<Violation> violations = CollisionCheck.against(newer, List.of(older, newer));

        assertThat(violations).extracting(Violation::field).containsExactly("spec.vip.address", "spec.vip.virtualRouterId",
                "spec.secondary.vmid", "spec.primary.vmid");
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).contains("traefik-ha/first"));
        assertThat(CollisionCheck.against(older, List.of(older, newer))).as("the older one keeps working").isEmpty();
    }

    @Test
    void theSameRouterIdOnAnotherBridgeIsFine() {
        TraefikHACluster newer = resource("second", "2026-02-01T00:00:00Z", s -> {
            elsewhere(s);
            s.vip.virtualRouterId = 51;
            s.network.bridge = "vmbr1";
        });

        assertThat(CollisionCheck.against(newer, List.of(older, newer))).isEmpty();
    }

    @Test
    void theSameVmidOnAnotherProxmoxClusterIsFine() {
        TraefikHACluster newer = resource("second", "2026-02-01T00:00:00Z", s -> {
            elsewhere(s);
            s.proxmox.url = "https://other-lab:8006";
            s.secondary.vmid = 111;
        });

        assertThat(CollisionCheck.against(newer, List.of(older, newer))).isEmpty();
    }

    @Test
    void anInvalidOlderResourceClaimsNothing() {
        older.getSpec().vip.virtualRouterId = 0;
        TraefikHACluster newer = resource("second", "2026-02-01T00:00:00Z", s -> { });

        assertThat(CollisionCheck.against(newer, List.of(older, newer))).isEmpty();
    }

    @Test
    void anUnreadableOlderResourceClaimsNothing() {
        TraefikHACluster unreadable = resource("unreadable", "2025-12-01T00:00:00Z", s -> { });
        unreadable.setSpec(new UnreadableSpec(null, new Unreadable("spec.vip", "expected an object, found a list")));
        TraefikHACluster newer = resource("second", "2026-02-01T00:00:00Z", CollisionCheckTest::elsewhere);

        assertThat(CollisionCheck.against(newer, List.of(unreadable, older, newer))).isEmpty();
    }

    @Test
    void everyReplicasVmidAndAddressIsCheckedAgainstEveryReplicaOfTheOther() {
        TraefikHACluster three = resource("first", "2026-01-01T00:00:00Z", s -> withThird(s, 112, "192.168.1.112/24"));
        TraefikHACluster newer = resource("second", "2026-02-01T00:00:00Z", s -> {
            elsewhere(s);
            withThird(s, 112, "192.168.1.122/24");
            s.secondaries.get(0).address = "192.168.1.112/24";
        });

        List<Violation> violations = CollisionCheck.against(newer, List.of(three, newer));

        assertThat(violations).extracting(Violation::field).containsExactly("spec.secondaries[1].vmid",
                "spec.secondaries[0].address");
        assertThat(violations.get(0).message()).isEqualTo("CT 112 is already managed by traefik-ha/first");
        assertThat(violations.get(1).message()).isEqualTo("192.168.1.112 is already the address of the secondary-2 of"
                + " traefik-ha/first");
    }

    @Test
    void aVipOnAnotherClustersReplicaIsRefused() {
        TraefikHACluster newer = resource("second", "2026-02-01T00:00:00Z", s -> {
            elsewhere(s);
            s.vip.address = "192.168.1.111/24";
        });

        assertThat(CollisionCheck.against(newer, List.of(older, newer))).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.vip.address");
            assertThat(v.message()).isEqualTo("192.168.1.111 is already the address of the secondary of traefik-ha/first");
        });
    }

    /** The spec's secondary and a third replica, as spec.secondaries. */
    private static void withThird(TraefikHAClusterSpec s, int vmid, String address) {
        SecondarySpec third = new SecondarySpec();
        third.node = "proxmox3";
        third.vmid = vmid;
        third.hostname = "traefik-3";
        third.address = address;
        s.secondaries = List.of(s.secondary, third);
        s.secondary = null;
    }

    private static void elsewhere(TraefikHAClusterSpec s) {
        s.vip.address = "192.168.1.200/24";
        s.vip.virtualRouterId = 52;
        s.primary.vmid = 120;
        s.primary.address = "192.168.1.120/24";
        s.secondary.vmid = 121;
        s.secondary.address = "192.168.1.121/24";
    }

    private static TraefikHACluster resource(String name, String created, Consumer<TraefikHAClusterSpec> change) {
        TraefikHACluster r = ExampleSpecs.homelab();
        r.getMetadata().setName(name);
        r.getMetadata().setUid(name + "-uid");
        r.getMetadata().setCreationTimestamp(created);
        change.accept(r.getSpec());
        return r;
    }
}
