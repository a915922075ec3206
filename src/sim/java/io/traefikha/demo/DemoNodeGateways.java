package io.traefikha.demo;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.NodeGateways;
import io.traefikha.node.SshKey;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo's containers instead of SSH, only while a {@link DemoHomelab} runs in this process (started by
 * {@code OperatorMain} for the {@code demo} argument, before the operator). Without one every call goes to the
 * production SSH gateway unchanged. Priority 0, below the tests' {@code @Mock} gateways (1).
 */
@Alternative
@Priority(0)
@Singleton
public class DemoNodeGateways extends NodeGateways {

    public DemoNodeGateways(@ConfigProperty(name = "traefikha.ssh.connect-timeout", defaultValue = "10s") Duration connectTimeout,
            @ConfigProperty(name = "traefikha.ssh.command-timeout", defaultValue = "5m") Duration commandTimeout) {
        super(connectTimeout, commandTimeout);
    }

    @Override
    public NodeGateway open(TraefikHAClusterSpec spec, SshKey key, Map<Role, HostKeyPolicy> hostKeys) {
        return DemoHomelab.running().<NodeGateway>map(DemoHomelab::nodes).orElseGet(() -> super.open(spec, key, hostKeys));
    }
}
