package io.traefikha.reconciler;

import io.quarkus.test.Mock;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.gateway.NameChecker;

/** In @QuarkusTests the moved names are asked of the in-memory replicas of {@link InMemoryNodeGateways}, not dialled. */
@Mock
public class SimulatedNameCheckers extends NameCheckers {

    @Override
    public NameChecker open(TraefikHAClusterSpec spec) {
        return InMemoryNodeGateways.of(spec).names;
    }
}
