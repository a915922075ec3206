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
import java.util.stream.Collectors;

/** In @QuarkusTests the containers are in-memory {@link SimulatedNodes}, one set per set of replica addresses. */
@Mock
public class InMemoryNodeGateways extends NodeGateways {

    static final Map<String, SimulatedNodes> REPLICAS = new ConcurrentHashMap<>();

    public InMemoryNodeGateways() {
        super(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Override
    public NodeGateway open(TraefikHAClusterSpec spec, SshKey key, Map<Role, HostKeyPolicy> hostKeys) {
        return of(spec);
    }

    /** The in-memory replicas at the spec's addresses (the primary's, then every secondary's). */
    static SimulatedNodes of(TraefikHAClusterSpec spec) {
        String addresses = spec.primary.address + spec.secondaryList().stream().map(secondary -> "," + secondary.address)
                .collect(Collectors.joining());
        return REPLICAS.computeIfAbsent(addresses, k -> new SimulatedNodes());
    }
}
