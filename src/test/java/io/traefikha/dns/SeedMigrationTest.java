package io.traefikha.dns;

import static io.traefikha.dns.ServedEvidence.CLEAR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.adguard.Rewrite;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed runbook's migration, replayed: its 26 AdGuard Home rewrites move from the primary to the VIP in its five
 * phases, one day of soak apart (time comes from the test), then roll back to exactly what was there before.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class SeedMigrationTest {

    static final Duration SOAK = Duration.ofHours(24);
    static final Rewrite FOREIGN = new Rewrite("printer.internal.lakehouse.wtf", "192.168.1.60");

    private final Fixture fixture = Fixture.load();
    private AdGuardHomeSimulator sim;
    private DnsMigration migration;
    private OwnershipRegistry registry = OwnershipRegistry.empty();
    private MigrationProgress progress = MigrationProgress.NONE;
    private Instant now = Instant.parse("2025-06-02T09:00:00Z");

    @BeforeEach
    void start() {
        List<Rewrite> initial = new ArrayList<>(HomelabPreset.rewrites());
        initial.add(FOREIGN);
        sim = AdGuardHomeSimulator.builder().user("operator", "pw").rewrites(initial).start();
        migration = new DnsMigration(new AdGuardHomeProvider(sim.url(), "operator", "pw", Duration.ofSeconds(5)),
                saved -> registry = saved);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void thePresetIsTheFixturesHomelab() {
        assertThat(HomelabPreset.NAMES).containsExactlyInAnyOrderElementsOf(fixture.records);
        assertThat(HomelabPreset.DOMAIN).isEqualTo(fixture.domain);
        assertThat(HomelabPreset.PRIMARY_ADDRESS).isEqualTo(fixture.from);
        assertThat(HomelabPreset.VIP_ADDRESS).isEqualTo(fixture.to);
        assertThat(fixture.phases).hasSize(5);
    }

    @Test
    void the26NamesMoveInTheFivePhasesOneSoakApart() {
        MigrationSpec spec = fixture.migrationSpec();

        for (int day = 0; day < 5; day++) {
            String group = "day-" + (day + 1);
            DnsMigration.Result moved = reconcile(spec, true);
            assertThat(moved.failure()).isNull();
            assertThat(moved.applied()).extracting(DnsChange::name)
                    .containsExactlyElementsOf(fixture.qualified(fixture.phases.get(day)));
            assertThat(moved.applied()).extracting(DnsChange::group).containsOnly(group);
            assertMovedUpTo(day);

            now = now.plus(Duration.ofMinutes(1));
            DnsMigration.Result observed = reconcile(spec, true);
            assertThat(observed.applied()).as("the next group waits for the soak").isEmpty();
            assertThat(observed.plan().progress().liveGroup()).isEqualTo(group);
            if (day < 4) {
                assertThat(observed.plan().nextGroupNotBefore()).isEqualTo(now.plus(SOAK));
                now = now.plus(SOAK).minusSeconds(1);
                assertThat(reconcile(spec, true).applied()).as("one second before the soak ends").isEmpty();
                now = now.plusSeconds(1);
                assertThat(reconcile(spec, false).applied()).as("soaked, but the cluster is not Ready").isEmpty();
            }
        }

        DnsMigration.Result done = reconcile(spec, true);
        assertThat(done.plan().inPlace()).isEqualTo(26);
        assertThat(done.plan().nextGroup()).isNull();
        assertThat(done.plan().waitingFor()).isNull();
        assertThat(registry.previousAnswers()).hasSize(26).allSatisfy((name, previous) -> assertThat(previous)
                .containsExactly(fixture.from));
        assertThat(sim.rewrites()).contains(FOREIGN).hasSize(27);
        assertThat(sim.requestLog()).filteredOn(r -> !r.startsWith("GET")).hasSize(26)
                .containsOnly("PUT /control/rewrite/update");
    }

    @Test
    void rollbackRestoresExactlyThePreviousAnswersAndLeavesOtherRecordsAlone() {
        MigrationSpec spec = fixture.migrationSpec();
        // Each group: one reconcile moves it, the next sees it live and starts its soak. Bounded, 2 per group.
        for (int i = 0; i < 10 && reconcile(spec, true).plan().nextGroup() != null; i++) {
            now = now.plus(SOAK);
        }
        assertMovedUpTo(4);
        String wiki = "wiki." + fixture.domain;
        sim.removeRewrites(wiki);
        sim.addRewrite(new Rewrite(wiki, "192.168.1.77")); // someone repointed it after the migration

        DnsMigration.Result rolledBack = migration.rollback(registry, fixture.to, false);

        assertThat(rolledBack.failure()).isNull();
        assertThat(rolledBack.applied()).hasSize(25).extracting(DnsChange::reason).containsOnly(DnsChange.Reason.ROLLBACK);
        assertThat(rolledBack.plan().released()).containsExactly(wiki);
        for (String name : fixture.qualified(fixture.records)) {
            assertThat(sim.answersOf(name)).as(name).containsExactly(name.equals(wiki) ? "192.168.1.77" : fixture.from);
        }
        assertThat(sim.rewrites()).contains(FOREIGN).hasSize(27);
        assertThat(registry.previousAnswers()).isEmpty();
    }

    private DnsMigration.Result reconcile(MigrationSpec spec, boolean ready) {
        DnsMigration.Result result = migration.reconcile(spec, registry, progress, ready, CLEAR, now, false);
        progress = result.plan().progress();
        return result;
    }

    private void assertMovedUpTo(int lastDay) {
        for (int day = 0; day < 5; day++) {
            String expected = day <= lastDay ? fixture.to : fixture.from;
            for (String name : fixture.qualified(fixture.phases.get(day))) {
                assertThat(sim.answersOf(name)).as(name + " after day " + (lastDay + 1)).containsExactly(expected);
            }
        }
    }

    /** The dns part of the seed fixture (src/test/resources/seed/homelab-fixture.yaml). */
    record Fixture(String domain, String from, String to, List<String> records, List<List<String>> phases) {

        static Fixture load() {
            try (InputStream in = SeedMigrationTest.class.getResourceAsStream("/seed/homelab-fixture.yaml")) {
                JsonNode dns = new YAMLMapper().readTree(in).get("dns");
                List<List<String>> phases = new ArrayList<>();
                dns.get("phases").forEach(p -> phases.add(strings(p)));
                return new Fixture(dns.get("domain").asText(), dns.get("from").asText(), dns.get("to").asText(),
                        strings(dns.get("records")), phases);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the seed fixture", e);
            }
        }

        private static List<String> strings(JsonNode array) {
            List<String> values = new ArrayList<>();
            array.forEach(v -> values.add(v.asText()));
            return values;
        }

        List<String> qualified(List<String> names) {
            return names.stream().map(n -> MigrationSpec.qualify(n, domain)).toList();
        }

        /** The fixture as a resource's spec.dns would say it, phases named after the runbook's days. */
        MigrationSpec migrationSpec() {
            DnsSpec dns = new DnsSpec();
            dns.provider = DnsSpec.DnsProvider.AdGuardHome;
            dns.domain = domain;
            dns.records = records;
            dns.soakTime = "24h";
            for (int i = 0; i < phases.size(); i++) {
                DnsSpec.DnsPhaseSpec phase = new DnsSpec.DnsPhaseSpec();
                phase.name = "day-" + (i + 1);
                phase.records = phases.get(i);
                dns.phases.add(phase);
            }
            return MigrationSpec.of(dns, from, to);
        }
    }
}
