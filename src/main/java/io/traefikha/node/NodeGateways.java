package io.traefikha.node;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Opens the node gateway of one reconcile: SSH to both containers. Tests replace it with in-memory nodes. */
@ApplicationScoped
public class NodeGateways {

    private final SshNodeAccess access;

    public NodeGateways(@ConfigProperty(name = "traefikha.ssh.connect-timeout", defaultValue = "10s") Duration connectTimeout,
            @ConfigProperty(name = "traefikha.ssh.command-timeout", defaultValue = "5m") Duration commandTimeout) {
        this.access = new SshNodeAccess(connectTimeout, commandTimeout);
    }

    public NodeGateway open(TraefikHAClusterSpec spec, SshKey key, Map<Role, HostKeyPolicy> hostKeys) {
        return new SshNodeGateway(access, spec, key, hostKeys);
    }
}
