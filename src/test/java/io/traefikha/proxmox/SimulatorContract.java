package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.simulator.proxmox.ApiSchema;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Contract check over what went over the wire: every request the client sent is valid against the full PVE 8.4
 * schema (the shipped subset when the full file is not beside the project), and every successful answer of the
 * simulator fits the schema's {@code returns}. Requests answered 400 are the tests of bad input and are skipped.
 */
final class SimulatorContract {

    private static final Path FULL_SCHEMA = Path.of("../shared/reference/proxmox/pve-api-schema.json");
    private static final ApiSchema SCHEMA = Files.exists(FULL_SCHEMA) ? ApiSchema.load(FULL_SCHEMA) : ApiSchema.bundled();

    private SimulatorContract() {
    }

    /** Checks the exchanges from index {@code from} on; returns how many there are now. */
    static int check(ProxmoxSimulator simulator, int from) {
        List<ProxmoxSimulator.Exchange> exchanges = simulator.exchanges();
        List<String> problems = new ArrayList<>();
        for (ProxmoxSimulator.Exchange exchange : exchanges.subList(Math.min(from, exchanges.size()), exchanges.size())) {
            if (exchange.status() == 400 || exchange.status() == 401) {
                continue;
            }
            var match = SCHEMA.match(exchange.method(), exchange.path());
            if (match.isEmpty()) {
                problems.add(exchange.method() + " " + exchange.path() + ": not in the schema");
                continue;
            }
            Map<String, String> errors = SCHEMA.validateParameters(match.get().endpoint(), exchange.params());
            errors.forEach((param, why) -> problems.add(exchange.method() + " " + exchange.path() + " " + param + ": " + why));
            if (exchange.status() == 200) {
                SCHEMA.validateReturns(match.get().endpoint(), exchange.data())
                        .forEach(p -> problems.add(exchange.method() + " " + exchange.path() + " returns " + p));
            }
        }
        assertThat(problems).as("contract violations").isEmpty();
        return exchanges.size();
    }
}
