package io.traefikha.demo.kubeapi;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A Kubernetes API in this process, on loopback, that the real {@code kubectl} can use: the fabric8 CRUD mock server
 * stores the objects, and {@link KubectlDispatcher} adds what kubectl needs on top (discovery, Tables, OpenAPI v3,
 * plain-HTTP watches, event selection), and custom resources are validated and defaulted as kube-apiserver does it
 * ({@link CustomResourceWrites}). Not a real API server: no authentication, admission webhooks, validation of core
 * kinds, server-side apply or garbage collection. For the demo and tests only.
 */
public final class EmbeddedKubeApi implements AutoCloseable {

    private final KubeApiHttpServer server;
    private final KubernetesClient client;

    private EmbeddedKubeApi(KubeApiHttpServer server) {
        this.server = server;
        this.client = new KubernetesClientBuilder().withConfig(clientConfig(baseUrl())).build();
    }

    /** Starts an empty API on 127.0.0.1 and a free port. */
    public static EmbeddedKubeApi start() {
        return new EmbeddedKubeApi(KubeApiHttpServer.start(new KubectlDispatcher(new ObjectStore(), Clock.systemUTC())));
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A client of this API for in-process use (the operator, the demo, tests); closed by {@link #close()}. */
    public KubernetesClient client() {
        return client;
    }

    /** Writes a kubeconfig for kubectl whose current context uses this API and {@code namespace}. */
    public Path writeKubeconfig(Path file, String namespace) {
        try {
            return Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: traefikha-embedded
                      cluster:
                        server: "%s"
                    users:
                    - name: traefikha-embedded
                      user: {}
                    contexts:
                    - name: traefikha-embedded
                      context:
                        cluster: traefikha-embedded
                        user: traefikha-embedded
                        namespace: "%s"
                    current-context: traefikha-embedded
                    """.formatted(baseUrl(), namespace));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kubeconfig " + file, e);
        }
    }

    /** Installs a CRD from its YAML (e.g. crds/traefikhaclusters.traefikha.io-v1.yml); kubectl sees it at once. */
    public CustomResourceDefinition installCrd(Path yaml) {
        try (InputStream in = Files.newInputStream(yaml)) {
            return installCrd(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CRD " + yaml, e);
        }
    }

    /** Installs a CRD, its CEL rules compiled here and now, so the first write of its kind does not wait for them. */
    public CustomResourceDefinition installCrd(InputStream yaml) {
        CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
        crd.getSpec().getVersions().stream().filter(version -> version.getSchema() != null)
                .forEach(version -> CrdAdmission.of(version.getSchema().getOpenAPIV3Schema()).precompiled());
        return client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }

    private static Config clientConfig(String baseUrl) {
        // Config.empty(): nothing from ~/.kube/config or the environment may point this client elsewhere
        return new ConfigBuilder(Config.empty()).withMasterUrl(baseUrl).build();
    }
}
