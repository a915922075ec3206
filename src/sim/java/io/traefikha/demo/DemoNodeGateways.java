package io.traefikha.demo;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.NodeGateways;
import io.traefikha.node.SshKey;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo's containers instead of SSH while the demo runs ({@code traefikha.demo=true}); otherwise the production SSH
 * gateway unchanged. It exists only in the demo build and the tests (src/sim), never in the production application.
 * Priority 0, below the tests' {@code @Mock} gateways (1).
 */
@Alternative
@Priority(0)
@Singleton
public class DemoNodeGateways extends NodeGateways {

    private final boolean demo;
    private final Provider<DemoHomelab> homelab;

    public DemoNodeGateways(@ConfigProperty(name = "traefikha.ssh.connect-timeout", defaultValue = "10s") Duration connectTimeout,
            @ConfigProperty(name = "traefikha.ssh.command-timeout", defaultValue = "5m") Duration commandTimeout,
            @ConfigProperty(name = DemoMain.ENABLED, defaultValue = "false") boolean demo, Provider<DemoHomelab> homelab) {
        super(connectTimeout, commandTimeout);
        this.demo = demo;
        this.homelab = homelab;
    }

    @Override
    public NodeGateway open(TraefikHAClusterSpec spec, SshKey key, Map<Role, HostKeyPolicy> hostKeys) {
        return demo ? homelab.get().nodes() : super.open(spec, key, hostKeys);
    }
}
