package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ContainerSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ManagedFile;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.keepalived.VrrpNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Three replicas with real keepalived: the pair plus a third host, each running the keepalived files the operator
 * renders for a node with the other two as unicast peers (priorities 250, 240, 230). The MASTER fails, then the next
 * (Traefik dies, or the link goes down): the VIP lands on the second, then on the third, with the gap a client polling
 * every 10 ms (50 ms timeout) sees for each; repaired, the VIP goes back to the first. Prints min / median / max over the runs; asserts where the VIP
 * is, never how fast.
 */
class ThreeReplicasE2ETest extends HaPairE2ETest {

    private static final String THIRD_ADDRESS = TestBed.SUBNET + "13";
    private static final int RUNS = 3;
    private static final Duration MOVE = Duration.ofSeconds(10);
    /** The default advert interval the rendered files carry. */
    private static final long ADVERT_MILLIS = 120;

    @Test
    void theVipGoesToTheNextReplicaAtEachFailureAndBackToTheFirst() {
        BedHost third = pair.bed.addHost("traefik-3", THIRD_ADDRESS);
        third.startTraefik();
        List<BedHost> hosts = List.of(pair.primary, pair.secondary, third);
        TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
        ContainerSpec thirdSpec = new ContainerSpec();
        thirdSpec.node = "proxmox3";
        thirdSpec.vmid = 112;
        thirdSpec.hostname = third.name();
        thirdSpec.address = THIRD_ADDRESS + "/" + TestBed.PREFIX_LENGTH;
        List<ContainerSpec> replicas = List.of(spec.primary, spec.secondary, thirdSpec);
        int[] priorities = {250, 240, 230};
        for (int i = 0; i < replicas.size(); i++) {
            ContainerSpec self = replicas.get(i);
            VrrpNode node = new VrrpNode(i == 0 ? "primary" : "replica " + (i + 1), self, priorities[i], i == 0, false,
                    replicas.stream().filter(other -> other != self).toList());
            install(hosts.get(i), KeepalivedNodeFiles.render(spec, "bed", node, null, null, null));
        }
        assertThat(HaPair.await(MOVE, () -> onlyHolder(hosts, pair.primary))).as("the first replica holds the VIP").isTrue();

        for (Failure failure : Failure.values()) {
            List<Long> firstGaps = new ArrayList<>();
            List<Long> secondGaps = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                try (VipPoller poller = pair.bed.pollVip(HaPair.VIP).awaitAnswer(MOVE)) {
                    long first = System.currentTimeMillis();
                    failure.fail(pair.primary);
                    assertThat(HaPair.await(MOVE, () -> onlyHolder(hosts, pair.secondary)))
                            .as(failure + ", first: the second replica").isTrue();
                    TestBed.sleep(500);
                    long second = System.currentTimeMillis();
                    failure.fail(pair.secondary);
                    assertThat(HaPair.await(MOVE, () -> onlyHolder(hosts, third))).as(failure + ", second: the third replica")
                            .isTrue();
                    TestBed.sleep(500);
                    Timeline timeline = poller.stop();
                    assertThat(timeline.lastServedBy()).isEqualTo(third.name());
                    firstGaps.add(timeline.longestGapBetween(first, second));
                    secondGaps.add(timeline.longestGapBetween(second, Long.MAX_VALUE));
                }
                failure.repair(pair.secondary);
                failure.repair(pair.primary);
                assertThat(HaPair.await(MOVE, () -> onlyHolder(hosts, pair.primary))).as(failure + ", repaired: back to the first")
                        .isTrue();
            }
            System.out.printf("ThreeReplicasE2ETest: %s on the MASTER: gap %s ms until the second replica (limit %s); then on"
                    + " the second: gap %s ms until the third (limit %s); min / median / max of %d runs%n", failure.label,
                    summary(firstGaps), failure.limit(240), summary(secondGaps), failure.limit(230), RUNS);
        }
        third.exec("systemctl stop keepalived");
        pair.bed.removeHost(third.name());
    }

    /** How a replica fails: told at once (its Traefik dies), or lost (its link goes down). */
    private enum Failure {
        TRAEFIK_DIES("Traefik dies") {
            @Override
            void fail(BedHost host) {
                host.killTraefik();
            }

            @Override
            void repair(BedHost host) {
                host.startTraefik();
            }

            @Override
            String limit(int nextPriority) {
                return "skew " + skewMillis(nextPriority) + " ms";
            }
        },
        LINK_DOWN("link down") {
            @Override
            void fail(BedHost host) {
                host.linkDown();
            }

            @Override
            void repair(BedHost host) {
                host.linkUp();
            }

            @Override
            String limit(int nextPriority) {
                return "master-down " + (3 * ADVERT_MILLIS + skewMillis(nextPriority)) + " ms";
            }
        };

        final String label;

        Failure(String label) {
            this.label = label;
        }

        abstract void fail(BedHost host);

        abstract void repair(BedHost host);

        /** What must pass before the replica with NEXT_PRIORITY takes the VIP. */
        abstract String limit(int nextPriority);
    }

    /** Writes the node's files as the operator would and starts keepalived with them. */
    private static void install(BedHost host, List<ManagedFile> files) {
        for (ManagedFile file : files) {
            host.write(file.path(), new String(file.file().content(), StandardCharsets.UTF_8),
                    Integer.toOctalString(file.file().mode()));
        }
        host.systemctl("daemon-reload").orThrow("daemon-reload on " + host);
        host.systemctl("restart keepalived").orThrow("starting keepalived on " + host);
    }

    private static boolean onlyHolder(List<BedHost> hosts, BedHost holder) {
        return hosts.stream().allMatch(host -> host.holds(HaPair.VIP) == (host == holder));
    }

    private static long skewMillis(int priority) {
        return (256 - priority) * ADVERT_MILLIS / 256;
    }

    private static String summary(List<Long> gaps) {
        List<Long> sorted = gaps.stream().sorted().toList();
        return Stream.of(sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1)).map(String::valueOf)
                .reduce((a, b) -> a + " / " + b).orElseThrow();
    }
}
