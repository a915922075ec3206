package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.HeartbeatSpec;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.node.NodeGateways;
import io.traefikha.step.ClusterConnections;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.heartbeat's Secret as the operator reads it for the nodes' files: a missing key or a value that is not an http(s)
 * URL is a Secret problem naming the field and the key (never the value); each node gets its own URL, only in its
 * root-only curl config.
 */
class HeartbeatSecretTest {

    private static final String PRIMARY_URL = "https://kuma.example.com/api/push/Pr1mAryT0ken";
    private static final String SECONDARY_URL = "https://kuma.example.com/api/push/S3condaryT0ken";

    private KubernetesMockServer api;
    private KubernetesClient client;
    private TraefikHACluster resource;

    @BeforeEach
    void start() {
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(),
                false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        client = api.createClient();
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setNamespace("homelab");
        resource.getSpec().heartbeat = new HeartbeatSpec();
        resource.getSpec().heartbeat.secretRef = new SecretRef("kuma-push");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("homelab").endMetadata().build())
                .create();
    }

    @AfterEach
    void stop() {
        client.close();
        api.destroy();
    }

    private void secret(Map<String, String> data) {
        client.secrets().inNamespace("homelab").resource(new SecretBuilder().withNewMetadata().withName("kuma-push")
                .endMetadata().addToStringData(data).build()).createOr(existing -> existing.update());
    }

    private Map<Role, List<ManagedFile>> rendered() {
        ClusterConnectionsFactory factory = new ClusterConnectionsFactory(client, new NodeGateways(Duration.ofSeconds(1),
                Duration.ofSeconds(1)), new VipProbers(), new NameCheckers(), Duration.ofMinutes(1), 20);
        try (ClusterConnections connections = factory.open(resource)) {
            return connections.renderedFiles();
        }
    }

    @Test
    void aMissingKeyOrAValueThatIsNoUrlNamesTheFieldAndKeyNeverTheValue() {
        secret(Map.of(HeartbeatSpec.PRIMARY_KEY, PRIMARY_URL));
        ExternalSystemException missing = catchThrowableOfType(this::rendered, ExternalSystemException.class);
        assertThat(missing.system()).isEqualTo("secret");
        assertThat(missing.getMessage()).isEqualTo("Secret homelab/kuma-push (spec.heartbeat.secretRef) has no key 'secondaryUrl'");

        secret(Map.of(HeartbeatSpec.PRIMARY_KEY, "kuma S3cr3tT0ken", HeartbeatSpec.SECONDARY_KEY, SECONDARY_URL));
        ExternalSystemException notUrl = catchThrowableOfType(this::rendered, ExternalSystemException.class);
        assertThat(notUrl.getMessage()).isEqualTo("Secret homelab/kuma-push (spec.heartbeat.secretRef): key 'primaryUrl'"
                + " is not an http(s) URL");
    }

    @Test
    void eachNodeGetsItsOwnUrlOnlyInItsRootOnlyCurlConfig() {
        secret(Map.of(HeartbeatSpec.PRIMARY_KEY, PRIMARY_URL + "\n", HeartbeatSpec.SECONDARY_KEY, SECONDARY_URL));
        Map<Role, List<ManagedFile>> files = rendered();
        assertThat(heartbeatConfig(files.get(Role.PRIMARY))).contains("url = \"" + PRIMARY_URL + "\"").doesNotContain("S3cond");
        assertThat(heartbeatConfig(files.get(Role.SECONDARY))).contains("url = \"" + SECONDARY_URL + "\"");
        for (Role role : Role.pair()) {
            assertThat(files.get(role)).filteredOn(f -> new String(f.file().content(), StandardCharsets.UTF_8).contains("T0ken"))
                    .singleElement().satisfies(f -> {
                        assertThat(f.path()).isEqualTo(KeepalivedPaths.HEARTBEAT_CONFIG);
                        assertThat(f.file().mode()).isEqualTo(0600);
                    });
        }
    }

    private static String heartbeatConfig(List<ManagedFile> files) {
        return files.stream().filter(f -> f.path().equals(KeepalivedPaths.HEARTBEAT_CONFIG))
                .map(f -> new String(f.file().content(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
    }
}
