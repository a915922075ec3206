package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the operator asks of the API about Secrets is what its RBAC grants (issue 14): a get by name, a create, a patch;
 * never a list, a watch or an update (PUT).
 */
class SecretReaderTest {

    private KubernetesMockServer api;
    private KubernetesClient client;
    private TraefikHACluster resource;

    @BeforeEach
    void start() throws Exception {
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(),
                false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        client = api.createClient();
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setNamespace("homelab");
        resource.getMetadata().setUid("0b5e0000-0000-4000-8000-000000000001");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("homelab").endMetadata().build())
                .create();
        client.secrets().inNamespace("homelab").resource(new SecretBuilder().withNewMetadata().withName("proxmox")
                .endMetadata().addToStringData("tokenSecret", "s3cret").build()).create();
    }

    @AfterEach
    void stop() {
        client.close();
        api.destroy();
    }

    @Test
    void secretsAreOnlyReadByNameCreatedAndPatched() throws Exception {
        int setup = api.getRequestCount();
        SecretReader secrets = new SecretReader(client, resource);

        assertThat(secrets.required(new SecretRef("proxmox"), "tokenSecret", "spec.proxmox")).isEqualTo("s3cret");
        String generated = secrets.ownedValue("homelab-vrrp", "password", () -> "first");
        String kept = secrets.ownedValue("homelab-vrrp", "password", () -> "second");
        String added = secrets.ownedValue("homelab-vrrp", "other", () -> "third"); // the Secret exists, the key not

        assertThat(List.of(generated, kept, added)).containsExactly("first", "first", "third");
        List<String> requests = new ArrayList<>();
        for (int i = 0, count = api.getRequestCount(); i < count; i++) {
            RecordedRequest request = api.takeRequest(5, TimeUnit.SECONDS);
            if (i >= setup) {
                requests.add(request.getMethod() + " " + request.getPath());
            }
        }
        assertThat(requests).filteredOn(r -> r.contains("/secrets")).isNotEmpty().allSatisfy(r -> assertThat(r).matches(
                "GET /api/v1/namespaces/homelab/secrets/[a-z-]+|POST /api/v1/namespaces/homelab/secrets"
                        + "|PATCH /api/v1/namespaces/homelab/secrets/[a-z-]+"));
        assertThat(requests).anyMatch(r -> r.startsWith("POST")).anyMatch(r -> r.startsWith("PATCH"));
    }

    @Test
    void everyValueHandedOutIsTakenOutOfAMessageLineByLineAndShortValuesAreLeft() {
        client.secrets().inNamespace("homelab").resource(new SecretBuilder().withNewMetadata().withName("ssh")
                .endMetadata().addToStringData("privateKey", "-----BEGIN KEY-----\nb3BlbnNzaC1rZXk\n-----END KEY-----\n")
                .addToStringData("user", "ab").build()).create();
        SecretReader secrets = new SecretReader(client, resource);
        secrets.required(new SecretRef("proxmox"), "tokenSecret", "spec.proxmox");
        secrets.required(new SecretRef("ssh"), "privateKey", "spec.ssh.secretRef");
        secrets.required(new SecretRef("ssh"), "user", "spec.ssh.secretRef");
        String generated = secrets.ownedValue("homelab-vrrp", "password", () -> "generated-password");

        assertThat(secrets.redact("token s3cret, key line b3BlbnNzaC1rZXk, vrrp " + generated + ", user ab"))
                .isEqualTo("token <redacted>, key line <redacted>, vrrp <redacted>, user ab");
        assertThat(new SecretReader(client, resource).redact("s3cret")).as("only what this reader handed out")
                .isEqualTo("s3cret");
    }
}
