package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.ContainerSummary;
import io.traefikha.proxmox.ProxmoxReadPolicy.History;
import io.traefikha.proxmox.ProxmoxReadPolicy.Reads;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How much of Proxmox one reconcile reads, one situation per row. */
class ProxmoxReadPolicyTest {

    private static final ContainerSummary PRIMARY = new ContainerSummary(110, true, "proxmox", "running", null, "traefik",
            "traefik");
    private static final ContainerSummary SECONDARY = new ContainerSummary(111, true, "proxmox2", "running", null,
            "traefik;traefikha", "traefik-2");
    private static final List<ContainerSummary> STEADY = List.of(PRIMARY, SECONDARY);
    private static final int EVERY = 20;

    static Stream<Arguments> situations() {
        return Stream.of(
                row("steady: nothing changed", history(STEADY, 3), STEADY, false, false, "unchanged"),
                row("first look since start", null, STEADY, true, true, "first look"),
                row("the operator just changed something", new History(STEADY, true, null, 0, false), STEADY, true, false,
                        "just changed"),
                row("a node did not answer its probe", new History(STEADY, false, "the secondary did not answer", 0, false),
                        STEADY, true, false, "did not answer"),
                row("the broadcast power state flipped", history(STEADY, 3),
                        List.of(PRIMARY, with(SECONDARY, "stopped", null, "proxmox2")), true, false, "status running -> stopped"),
                row("the secondary was deleted", history(STEADY, 3), List.of(PRIMARY, ContainerSummary.missing(111)), true,
                        true, "CT 111 disappeared"),
                row("the secondary moved node", history(STEADY, 3), List.of(PRIMARY, with(SECONDARY, "running", null, "proxmox")),
                        true, false, "node proxmox2 -> proxmox"),
                row("a lock appeared (a backup or a clone)", history(STEADY, 3),
                        List.of(with(PRIMARY, "running", "backup", "proxmox"), SECONDARY), true, true, "lock null -> backup"),
                row("periodic full read due", history(STEADY, EVERY - 1), STEADY, true, false, "periodic"),
                row("periodic full read not yet due", history(STEADY, EVERY - 2), STEADY, false, false, "unchanged"),
                row("a temporary clone snapshot may be left over", new History(STEADY, true, null, 0, true), STEADY, true, true,
                        "just changed"),
                row("the secondary is missing and nothing changed: no read at all",
                        history(List.of(PRIMARY, ContainerSummary.missing(111)), 1), List.of(PRIMARY, ContainerSummary.missing(111)),
                        false, false, "unchanged"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("situations")
    void decides(String situation, History history, List<ContainerSummary> now, boolean containers, boolean snapshots,
            String reasonContains) {
        Reads reads = ProxmoxReadPolicy.plan(history, now, EVERY);

        assertThat(reads.containers()).as("read containers").isEqualTo(containers);
        assertThat(reads.snapshots()).as("list snapshots").isEqualTo(snapshots);
        assertThat(reads.reason()).contains(reasonContains);
    }

    @ParameterizedTest(name = "full read every {0}")
    @ValueSource(ints = {1, 0, -3})
    void aFullReadEveryReconcileOrLessReadsAlways(int every) {
        assertThat(ProxmoxReadPolicy.plan(history(STEADY, 0), STEADY, every).containers()).isTrue();
    }

    private static History history(List<ContainerSummary> summaries, int cachedReads) {
        return new History(summaries, false, null, cachedReads, false);
    }

    private static ContainerSummary with(ContainerSummary ct, String status, String lock, String node) {
        return new ContainerSummary(ct.vmid(), true, node, status, lock, ct.tags(), ct.name());
    }

    private static Arguments row(String situation, History history, List<ContainerSummary> now, boolean containers,
            boolean snapshots, String reasonContains) {
        return Arguments.of(situation, history, now, containers, snapshots, reasonContains);
    }
}
