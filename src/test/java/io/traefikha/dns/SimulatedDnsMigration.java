package io.traefikha.dns;

import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.Rewrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** A DNS migration against an AdGuard Home simulator of its own, with every registry it saved kept for the test. */
abstract class SimulatedDnsMigration {

    static final String P = "192.168.1.110";
    static final String V = "192.168.1.100";
    static final Instant NOW = Instant.parse("2025-06-01T08:00:00Z");

    AdGuardHomeSimulator sim;
    final List<OwnershipRegistry> saved = new ArrayList<>();

    @AfterEach
    void stop() {
        sim.close();
    }

    DnsMigration start(AdGuardHomeSimulator.Builder builder, Rewrite... rewrites) {
        sim = builder.user("operator", "pw").rewrites(List.of(rewrites)).start();
        return new DnsMigration(new AdGuardHomeProvider(sim.url(), "operator", "pw", Duration.ofSeconds(5)), saved::add);
    }
}
