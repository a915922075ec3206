package io.traefikha.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.node.SshKey;
import io.traefikha.node.SshNodeGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In the demo build run without the demo, the operator's nodes are reached over SSH exactly as in production. */
class DemoNodeGatewaysTest {

    @Test
    void withoutTheDemoEveryNodeGatewayIsTheSshOneAndNoHomelabStarts() {
        DemoNodeGateways gateways = new DemoNodeGateways(Duration.ofSeconds(1), Duration.ofSeconds(1), false, () -> {
            throw new AssertionError("no homelab without the demo");
        });
        NodeGateway opened = gateways.open(ExampleSpecs.homelab().getSpec(),
                new SshKey("key".getBytes(StandardCharsets.UTF_8), null), Map.of());
        try (opened) {
            assertThat(opened).isInstanceOf(SshNodeGateway.class);
        }
    }
}
