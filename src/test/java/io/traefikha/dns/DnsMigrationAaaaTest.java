package io.traefikha.dns;

import static io.traefikha.dns.ServedEvidence.CLEAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.dns.DnsPlan.DnsConflict;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.Rewrite;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * AAAA beside A against the AdGuard Home simulator: an IPv6 answer is a rewrite of its own beside the IPv4 one, moved,
 * reverted and rolled back with the same ownership, while the rewrites the operator does not own stay as they are.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class DnsMigrationAaaaTest extends SimulatedDnsMigration {

    static final String P6 = "fd00:1::110";
    static final String V6 = "fd00:1::100";
    static final String X6 = "fd00:1::50";

    private static MigrationSpec spec(String vip6, String... names) {
        return new MigrationSpec(List.of(new MigrationSpec.Group("all", List.of(names))), Duration.ZERO, false, P, V)
                .withIpv6(vip6, List.of(P6));
    }

    private Optional<List<String>> aaaa(String name) {
        return sim.query(name, "AAAA");
    }

    @Test
    void eachMovedNameAnswersTheIpv6VipBesideTheVipAndWhatIsNotOursStays() {
        // a.lan's IPv6 rewrite spelled by hand in upper case: the same address as the primary's.
        var migration = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P), new Rewrite("a.lan", "FD00:1:0::110"),
                new Rewrite("b.lan", P), new Rewrite("foreign6.lan", P), new Rewrite("foreign6.lan", X6),
                new Rewrite("upstream6.lan", P), new Rewrite("upstream6.lan", "AAAA"));
        assertThat(aaaa("b.lan")).as("only IPv4 rewrites: AAAA queries get no answer").contains(List.of());

        var result = migration.reconcile(spec(V6, "a.lan", "b.lan", "foreign6.lan", "upstream6.lan"),
                OwnershipRegistry.empty(), MigrationProgress.NONE, true, CLEAR, NOW, false);

        assertThat(result.failure()).isNull();
        assertThat(sim.query("a.lan", "A")).contains(List.of(V));
        assertThat(aaaa("a.lan")).contains(List.of(V6));
        assertThat(sim.query("b.lan", "A")).contains(List.of(V));
        assertThat(aaaa("b.lan")).contains(List.of(V6));
        assertThat(sim.query("foreign6.lan", "A")).contains(List.of(V));
        assertThat(aaaa("foreign6.lan")).as("not ours").contains(List.of(X6));
        assertThat(aaaa("upstream6.lan")).as("the exception stays: AAAA still goes upstream").isEmpty();
        assertThat(result.plan().aaaa().conflicts()).containsExactly(new DnsConflict("foreign6.lan", List.of(X6)),
                new DnsConflict("upstream6.lan", List.of("AAAA")));
        assertThat(result.registry().previousAaaaAnswers()).containsOnlyKeys("a.lan", "b.lan")
                .containsEntry("a.lan", List.of(P6)).containsEntry("b.lan", List.of());
        assertThat(saved.get(0).previousAaaaAnswers()).as("saved before the writes").containsOnlyKeys("a.lan", "b.lan");

        int before = sim.requestLog().size();
        var again = migration.reconcile(spec(V6, "a.lan", "b.lan", "foreign6.lan", "upstream6.lan"), result.registry(),
                result.plan().progress(), true, CLEAR, NOW, false);
        assertThat(again.plan().changes()).isEmpty();
        assertThat(again.plan().aaaa().inPlace()).isEqualTo(2);
        assertThat(sim.requestLog().subList(before, sim.requestLog().size())).as("steady state: one list per family")
                .containsExactly("GET /control/rewrite/list", "GET /control/rewrite/list");
    }

    @Test
    void removingTheIpv6VipGivesTheAaaaAnswersBackAndKeepsTheNamesAtTheVip() {
        var migration = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P), new Rewrite("a.lan", P6),
                new Rewrite("b.lan", P));
        var moved = migration.reconcile(spec(V6, "a.lan", "b.lan"), OwnershipRegistry.empty(), MigrationProgress.NONE, true,
                CLEAR, NOW, false);
        assertThat(aaaa("a.lan")).contains(List.of(V6));

        var reverted = migration.reconcile(spec(null, "a.lan", "b.lan"), moved.registry(), moved.plan().progress(), true,
                CLEAR, NOW, false);

        assertThat(reverted.applied()).extracting(DnsChange::type, DnsChange::reason).containsOnly(
                tuple(RecordType.AAAA, DnsChange.Reason.REVERT));
        assertThat(sim.rewrites()).containsExactly(new Rewrite("a.lan", V), new Rewrite("a.lan", P6), new Rewrite("b.lan", V));
        assertThat(reverted.registry().previousAaaaAnswers()).isEmpty();
        assertThat(reverted.registry().previousAnswers()).containsOnlyKeys("a.lan", "b.lan");
        assertThat(saved).last().isEqualTo(reverted.registry());
    }

    @Test
    void rollbackGivesBothFamiliesBackAndLeavesAnAaaaChangedSinceAlone() {
        var migration = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P), new Rewrite("a.lan", P6),
                new Rewrite("b.lan", P), new Rewrite("c.lan", P));
        var moved = migration.reconcile(spec(V6, "a.lan", "b.lan", "c.lan"), OwnershipRegistry.empty(), MigrationProgress.NONE,
                true, CLEAR, NOW, false);
        sim.addRewrite(new Rewrite("c.lan", X6)); // someone else's IPv6 answer beside ours

        var rolledBack = migration.rollback(moved.registry(), V, false);

        assertThat(rolledBack.failure()).isNull();
        assertThat(sim.rewrites()).containsExactlyInAnyOrder(new Rewrite("a.lan", P), new Rewrite("a.lan", P6),
                new Rewrite("b.lan", P), new Rewrite("c.lan", P), new Rewrite("c.lan", V6), new Rewrite("c.lan", X6));
        assertThat(rolledBack.registry()).isEqualTo(OwnershipRegistry.empty());
    }

    @Test
    void onAnOlderServerWithoutUpdateTheAaaaAnswerMovesWithAddAndDelete() {
        var migration = start(AdGuardHomeSimulator.builder().version("v0.107.29"), new Rewrite("a.lan", P),
                new Rewrite("a.lan", P6));

        migration.reconcile(spec(V6, "a.lan"), OwnershipRegistry.empty(), MigrationProgress.NONE, true, CLEAR, NOW, false);

        assertThat(aaaa("a.lan")).contains(List.of(V6));
        assertThat(sim.query("a.lan", "A")).contains(List.of(V));
        assertThat(sim.requestLog()).doesNotContain("PUT /control/rewrite/update");
    }
}
