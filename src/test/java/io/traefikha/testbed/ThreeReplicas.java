package io.traefikha.testbed;

import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Three replicas on a {@link HaPair}'s bed: the pair plus a third host at 10.251.0.13, each running the keepalived files
 * the operator renders for its role with the other two as unicast peers (spec.secondaries: the pair's secondary, then
 * the third; priorities descending in that order). Shared by {@link ThreeReplicasE2ETest} and {@link FailoverBenchmark}.
 */
public final class ThreeReplicas implements AutoCloseable {

    public static final String THIRD_ADDRESS = TestBed.SUBNET + "13";
    private static final String THIRD_NAME = "traefik-3";
    /** Far beyond any handover's limit: longer means the VIP did not move. */
    private static final Duration MOVE = Duration.ofSeconds(10);
    /** How long the client keeps polling after a move, so its samples show who serves. */
    private static final long SETTLE_MILLIS = 500;

    public final HaPair pair;
    public final BedHost third;
    /** In role order: primary, secondary, third. */
    private final List<BedHost> hosts;

    private ThreeReplicas(HaPair pair, BedHost third) {
        this.pair = pair;
        this.third = third;
        this.hosts = List.of(pair.primary, pair.secondary, third);
    }

    /** Adds the third host to PAIR's bed, Traefik running on it; keepalived starts with {@link #deploy}. */
    public static ThreeReplicas add(HaPair pair) {
        BedHost third = pair.bed.addHost(THIRD_NAME, THIRD_ADDRESS);
        try {
            third.startTraefik();
            return new ThreeReplicas(pair, third);
        } catch (RuntimeException | Error e) {
            pair.bed.removeHost(THIRD_NAME);
            throw e;
        }
    }

    /** PAIR_SPEC (a bed spec, {@link HaPair#spec}) made three replicas: its secondary, then the third, in spec.secondaries. */
    public static TraefikHAClusterSpec spec(TraefikHAClusterSpec pairSpec) {
        SecondarySpec thirdSpec = new SecondarySpec();
        thirdSpec.node = "proxmox3";
        thirdSpec.vmid = 112;
        thirdSpec.hostname = THIRD_NAME;
        thirdSpec.address = THIRD_ADDRESS + "/" + TestBed.PREFIX_LENGTH;
        pairSpec.secondaries = List.of(pairSpec.secondary, thirdSpec);
        pairSpec.secondary = null;
        return pairSpec;
    }

    public BedHost host(Role role) {
        return hosts.get(role.index());
    }

    /**
     * Writes each replica's files as the operator renders them and (re)starts keepalived with them everywhere; returns
     * once the primary holds the VIP alone.
     */
    public void deploy(TraefikHAClusterSpec spec, String password) {
        Map<Role, List<ManagedFile>> files = KeepalivedNodeFiles.render(spec, "bed", password);
        for (Role role : spec.roles()) {
            BedHost host = host(role);
            for (ManagedFile file : files.get(role)) {
                host.write(file.path(), new String(file.file().content(), StandardCharsets.UTF_8),
                        Integer.toOctalString(file.file().mode()));
            }
            host.systemctl("daemon-reload").orThrow("daemon-reload on " + host);
            host.systemctl("restart keepalived").orThrow("starting keepalived on " + host);
        }
        awaitOnlyHolder(Role.PRIMARY, "after keepalived started on the three replicas");
    }

    /**
     * What a client polling the VIP saw as the MASTER failed, then the replica that took over.
     *
     * @param firstGapMillis   the longest time without an answer after the primary failed, until the second did
     * @param secondGapMillis  the longest time without an answer after the second failed
     * @param servedAfterFirst who answered just before the second failure
     * @param servedAfterSecond who answered last
     */
    public record TwoFailures(long firstGapMillis, long secondGapMillis, String servedAfterFirst, String servedAfterSecond) {
    }

    /**
     * Breaks the primary, waits for the secondary to hold the VIP alone, breaks it too, waits for the third; then repairs
     * both and waits for the VIP to be back on the primary alone. Throws when the VIP does not get where it should.
     */
    public TwoFailures failTwice(FailoverScenario scenario) {
        awaitOnlyHolder(Role.PRIMARY, "before " + scenario.label);
        TwoFailures result;
        try (VipPoller poller = pair.bed.pollVip(HaPair.VIP).awaitAnswer(MOVE)) {
            long first = System.currentTimeMillis();
            scenario.breakReplica(pair.primary);
            awaitOnlyHolder(Role.SECONDARY, scenario.label + " on the primary");
            TestBed.sleep(SETTLE_MILLIS);
            String servedAfterFirst = poller.lastServedBy();
            long second = System.currentTimeMillis();
            scenario.breakReplica(pair.secondary);
            awaitOnlyHolder(Role.of(2), scenario.label + " on the secondary too");
            TestBed.sleep(SETTLE_MILLIS);
            Timeline timeline = poller.stop();
            result = new TwoFailures(timeline.longestGapBetween(first, second),
                    timeline.longestGapBetween(second, Long.MAX_VALUE), servedAfterFirst, timeline.lastServedBy());
        }
        scenario.repairReplica(pair.secondary);
        scenario.repairReplica(pair.primary);
        awaitOnlyHolder(Role.PRIMARY, "after repairing " + scenario.label);
        return result;
    }

    private void awaitOnlyHolder(Role role, String when) {
        BedHost holder = host(role);
        if (!HaPair.await(MOVE, () -> hosts.stream().allMatch(host -> host.holds(HaPair.VIP) == (host == holder)))) {
            throw new IllegalStateException(when + ": " + holder + " does not hold the VIP alone within " + MOVE.toSeconds()
                    + " s (holders: " + hosts.stream().filter(host -> host.holds(HaPair.VIP)).toList() + ")");
        }
    }

    /** Stops keepalived on the third and removes it; the pair's keepalived is left as it is. */
    @Override
    public void close() {
        third.exec("systemctl stop keepalived");
        pair.bed.removeHost(THIRD_NAME);
    }
}
