package io.traefikha.reconciler;

import io.quarkus.test.Mock;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.gateway.NameChecker;
import io.traefikha.simulator.node.SimulatedNodes;

/** In @QuarkusTests the moved names are asked of the in-memory pair of {@link InMemoryNodeGateways}, not dialled. */
@Mock
public class SimulatedNameCheckers extends NameCheckers {

    @Override
    public NameChecker open(TraefikHAClusterSpec spec) {
        return InMemoryNodeGateways.PAIRS.computeIfAbsent(spec.primary.address + "," + spec.secondary.address,
                k -> new SimulatedNodes()).names;
    }
}
