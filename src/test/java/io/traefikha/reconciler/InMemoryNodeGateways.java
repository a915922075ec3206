package io.traefikha.reconciler;

import io.quarkus.test.Mock;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.NodeGateways;
import io.traefikha.node.SshKey;
import io.traefikha.simulator.node.SimulatedNodes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** In @QuarkusTests the containers are in-memory {@link SimulatedNodes}, one pair per pair of node addresses. */
@Mock
public class InMemoryNodeGateways extends NodeGateways {

    static final Map<String, SimulatedNodes> PAIRS = new ConcurrentHashMap<>();

    public InMemoryNodeGateways() {
        super(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Override
    public NodeGateway open(TraefikHAClusterSpec spec, SshKey key, Map<Role, HostKeyPolicy> hostKeys) {
        return PAIRS.computeIfAbsent(spec.primary.address + "," + spec.secondary.address, k -> new SimulatedNodes());
    }
}
