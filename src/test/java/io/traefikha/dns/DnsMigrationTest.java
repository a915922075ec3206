package io.traefikha.dns;

import static io.traefikha.dns.ServedEvidence.CLEAR;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.dns.DnsPlan.DnsConflict;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.Rewrite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Planner, provider and registry together against the simulator: the rules end to end, one per test. */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class DnsMigrationTest extends SimulatedDnsMigration {

    static final String X = "192.168.1.50";

    private static MigrationSpec spec(boolean takeOver, String... names) {
        return new MigrationSpec(List.of(new MigrationSpec.Group("all", List.of(names))), Duration.ZERO, takeOver, P, V);
    }

    private List<String> writes() {
        return sim.requestLog().stream().filter(r -> !r.startsWith("GET")).toList();
    }

    @Test
    void aRecordPointingElsewhereIsAConflictAndLeftAlone() {
        var migration = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P), new Rewrite("nas.lan", X));

        var result = migration.reconcile(spec(false, "a.lan", "nas.lan"), OwnershipRegistry.empty(), MigrationProgress.NONE,
                true, CLEAR, NOW, false);

        assertThat(result.plan().conflicts()).containsExactly(new DnsConflict("nas.lan", List.of(X)));
        assertThat(result.applied()).extracting(DnsChange::name).containsExactly("a.lan");
        assertThat(sim.answersOf("nas.lan")).containsExactly(X);
        assertThat(result.registry().previousAnswers()).containsOnlyKeys("a.lan");
    }

    @Test
    void takeOverMovesAConflictAndRollbackGivesItsForeignAnswerBack() {
        var migration = start(AdGuardHomeSimulator.builder(), new Rewrite("nas.lan", X));

        var taken = migration.reconcile(spec(true, "nas.lan"), OwnershipRegistry.empty(), MigrationProgress.NONE, true, CLEAR, NOW,
                false);
        assertThat(taken.applied()).extracting(DnsChange::reason).containsExactly(DnsChange.Reason.TAKE_OVER);
        assertThat(sim.answersOf("nas.lan")).containsExactly(V);

        var rolledBack = migration.rollback(taken.registry(), V, false);
        assertThat(sim.answersOf("nas.lan")).containsExactly(X);
        assertThat(rolledBack.registry().previousAnswers()).isEmpty();
    }

    @Test
    void aRecordRemovedFromTheSpecPointsBackAtThePrimaryAndACreatedOneDisappears() {
        var migration = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P), new Rewrite("b.lan", P));
        var moved = migration.reconcile(spec(false, "a.lan", "b.lan", "new.lan"), OwnershipRegistry.empty(),
                MigrationProgress.NONE, true, CLEAR, NOW, false);
        assertThat(sim.rewrites()).containsExactly(new Rewrite("a.lan", V), new Rewrite("b.lan", V), new Rewrite("new.lan", V));

        var reverted = migration.reconcile(spec(false, "a.lan"), moved.registry(), moved.plan().progress(), true, CLEAR, NOW, false);

        assertThat(reverted.applied()).extracting(DnsChange::reason).containsOnly(DnsChange.Reason.REVERT);
        assertThat(sim.rewrites()).containsExactly(new Rewrite("a.lan", V), new Rewrite("b.lan", P));
        assertThat(reverted.registry().previousAnswers()).containsOnlyKeys("a.lan");
        assertThat(saved).last().isEqualTo(reverted.registry());
    }

    @Test
    void onAnOlderServerWithoutUpdateTheMigrationAndRollbackUseAddAndDelete() {
        var migration = start(AdGuardHomeSimulator.builder().version("v0.107.29"), new Rewrite("a.lan", P),
                new Rewrite("b.lan", P));

        var moved = migration.reconcile(spec(false, "a.lan", "b.lan"), OwnershipRegistry.empty(), MigrationProgress.NONE, true, CLEAR,
                NOW, false);
        assertThat(sim.answersOf("a.lan")).containsExactly(V);
        assertThat(sim.answersOf("b.lan")).containsExactly(V);
        migration.rollback(moved.registry(), V, false);

        assertThat(sim.answersOf("a.lan")).containsExactly(P);
        assertThat(sim.answersOf("b.lan")).containsExactly(P);
        assertThat(writes()).doesNotContain("PUT /control/rewrite/update").contains("POST /control/rewrite/add");
    }

    @Test
    void dryRunPlansButWritesNothing() {
        var migration = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P));

        var result = migration.reconcile(spec(false, "a.lan"), OwnershipRegistry.empty(), MigrationProgress.NONE, true, CLEAR, NOW, true);

        assertThat(result.dryRun()).isTrue();
        assertThat(result.plan().changes()).extracting(DnsChange::name).containsExactly("a.lan");
        assertThat(result.applied()).isEmpty();
        assertThat(result.notApplied()).isEqualTo(result.plan().changes());
        assertThat(writes()).isEmpty();
        assertThat(saved).isEmpty();
    }

    @Test
    void theRegistryIsSavedBeforeTheWriteSoAChangeWhoseAnswerWasLostCanStillBeRolledBack() {
        var migration = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P), new Rewrite("b.lan", P));
        // The update of a.lan lands, then the server fails the provider's check that follows it.
        sim.raceNextChange(() -> sim.failNextRequests(1, 500));

        var result = migration.reconcile(spec(false, "a.lan", "b.lan"), OwnershipRegistry.empty(), MigrationProgress.NONE, true, CLEAR,
                NOW, false);

        assertThat(result.failure().change().name()).isEqualTo("a.lan");
        assertThat(result.failure().error().kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE);
        assertThat(result.applied()).isEmpty();
        assertThat(result.notApplied()).extracting(DnsChange::name).containsExactly("a.lan", "b.lan");
        assertThat(sim.answersOf("a.lan")).containsExactly(V);
        assertThat(sim.answersOf("b.lan")).as("stopped at the first failure").containsExactly(P);
        assertThat(saved).hasSize(1);
        assertThat(saved.get(0).previousAnswers()).containsOnlyKeys("a.lan", "b.lan");

        var rolledBack = migration.rollback(saved.get(0), V, false);

        assertThat(rolledBack.applied()).extracting(DnsChange::name).containsExactly("a.lan");
        assertThat(sim.rewrites()).containsExactly(new Rewrite("a.lan", P), new Rewrite("b.lan", P));
        assertThat(saved).last().isEqualTo(OwnershipRegistry.empty());
    }
}
