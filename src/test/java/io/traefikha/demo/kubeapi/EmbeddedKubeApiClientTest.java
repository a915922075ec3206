package io.traefikha.demo.kubeapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the operator will do in the demo: a fabric8 client, whose watches are WebSockets, on the embedded API. */
class EmbeddedKubeApiClientTest {

    @Test
    void aFabric8WatchSeesCreationAndStatusChanges() throws Exception {
        try (EmbeddedKubeApi api = EmbeddedKubeApi.start()) {
            api.installCrd(Path.of("crds/traefikhaclusters.traefikha.io-v1.yml"));
            var client = api.client();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("traefik-ha").endMetadata()
                    .build()).create();
            var clusters = client.resources(TraefikHACluster.class).inNamespace("traefik-ha");
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            try (Watch watch = clusters.watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, TraefikHACluster resource) {
                    TraefikHAClusterStatus status = resource.getStatus();
                    seen.add(action + " " + (status == null ? null : status.phase));
                }

                @Override
                public void onClose(WatcherException cause) {
                    seen.add("CLOSED " + cause);
                }
            })) {
                TraefikHACluster resource = ExampleSpecs.homelab();
                resource.getMetadata().setNamespace("traefik-ha");
                clusters.resource(resource).create();
                assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED null");

                clusters.withName(resource.getMetadata().getName()).editStatus(r -> {
                    r.setStatus(new TraefikHAClusterStatus());
                    r.getStatus().phase = ClusterPhase.Ready;
                    return r;
                });
                assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("MODIFIED Ready");
                assertThat(clusters.list().getItems()).singleElement()
                        .satisfies(listed -> assertThat(listed.getStatus().phase).isEqualTo(ClusterPhase.Ready));
            }
        }
    }
}
