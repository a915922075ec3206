package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Role;
import io.traefikha.planner.DurableState;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The state object against a Kubernetes API in CRUD mode: owned by the resource, read afresh by each reconcile,
 * seeded from an old status only before it exists, released on deletion and adopted by a resource created again.
 */
class ConfigMapStateStoreTest {

    private static final String NAMESPACE = "homelab";
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final DurableState PINNED = DurableState.EMPTY.withHostKey(Role.PRIMARY, "SHA256:primary")
            .withHostKey(Role.SECONDARY, "SHA256:secondary");

    private KubernetesMockServer api;
    private KubernetesClient client;
    private TraefikHACluster resource;

    @BeforeEach
    void start() {
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(),
                false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        client = api.createClient();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
        resource = resource("0b5e0000-0000-4000-8000-000000000001");
    }

    @AfterEach
    void stop() {
        client.close();
        api.destroy();
    }

    @Test
    void aSavedStateIsWhatTheNextReconcileReadsInAConfigMapTheResourceOwns() {
        DurableState saved = PINNED.withPrimaryStoppedForCloneSince(T0);
        new ConfigMapStateStore(client, resource).save(saved);

        assertThat(new ConfigMapStateStore(client, resource).load()).isEqualTo(saved);
        ConfigMap map = stateMap();
        assertThat(map.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("primaryStoppedForCloneSince",
                "2026-11-25T08:00:00Z", "hostKey.primary", "SHA256:primary", "hostKey.secondary", "SHA256:secondary"));
        assertThat(map.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(resource.getMetadata().getUid()));
        assertThat(map.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "traefik-ha-operator");

        new ConfigMapStateStore(client, resource).save(saved.withPrimaryStoppedForCloneSince(null));
        // The merge patch sets the key to null, which removes it (the test server keeps it as null).
        assertThat(stateMap().getData().get("primaryStoppedForCloneSince")).as("a settled fact leaves no value").isNull();
        assertThat(new ConfigMapStateStore(client, resource).load()).isEqualTo(PINNED);
    }

    @Test
    void theBackupRecordIsStoredStageByStageAndForgottenWithoutATrace() {
        DurableState.Backup asked = new DurableState.Backup("Vzdump", "proxmox", "local", T0, null, null, null);
        DurableState.Backup taken = asked.started("UPID:proxmox:0000AB01:00C0FFEE:6751B2C8:vzdump:110:root@pam:")
                .taken("local:backup/vzdump-lxc-110-2026_11_25-08_00_00.tar.zst", T0.plusSeconds(40));

        new ConfigMapStateStore(client, resource).save(PINNED.withBackup(asked));
        assertThat(new ConfigMapStateStore(client, resource).load().backup()).isEqualTo(asked);
        assertThat(stateMap().getData()).containsEntry("backup.requestedAt", "2026-11-25T08:00:00Z")
                .doesNotContainKey("backup.upid");

        new ConfigMapStateStore(client, resource).save(PINNED.withBackup(taken));
        assertThat(new ConfigMapStateStore(client, resource).load()).isEqualTo(PINNED.withBackup(taken));
        assertThat(stateMap().getData()).containsEntry("backup.volid", "local:backup/vzdump-lxc-110-2026_11_25-08_00_00.tar.zst")
                .containsEntry("backup.takenAt", "2026-11-25T08:00:40Z");

        new ConfigMapStateStore(client, resource).save(PINNED);
        assertThat(new ConfigMapStateStore(client, resource).load()).isEqualTo(PINNED);
    }

    @Test
    void stagedHostKeysAreKeptUntilTheReplacementIsDoneAndThenLeaveNoValue() {
        DurableState rotating = PINNED.withPendingHostKeys(Role.SECONDARY, Set.of("SHA256:new-rsa", "SHA256:new-ed25519"));
        new ConfigMapStateStore(client, resource).save(rotating);

        assertThat(stateMap().getData()).containsEntry("hostKeyPending.secondary", "SHA256:new-ed25519 SHA256:new-rsa");
        assertThat(new ConfigMapStateStore(client, resource).load()).isEqualTo(rotating);

        DurableState done = rotating.withHostKey(Role.SECONDARY, "SHA256:new-ed25519")
                .withPendingHostKeys(Role.SECONDARY, Set.of());
        new ConfigMapStateStore(client, resource).save(done);
        assertThat(stateMap().getData().get("hostKeyPending.secondary")).isNull();
        assertThat(new ConfigMapStateStore(client, resource).load()).isEqualTo(done);
    }

    @Test
    void everyReplicaOfThreeHasItsOwnPinAndStagedKeysAndAReplicaLeftOutOfTheStateLeavesNoValue() {
        Role third = Role.of(2);
        DurableState three = PINNED.withHostKey(third, "SHA256:third")
                .withPendingHostKeys(third, Set.of("SHA256:third-new"));
        new ConfigMapStateStore(client, resource).save(three);

        assertThat(stateMap().getData()).containsEntry("hostKey.secondary-2", "SHA256:third")
                .containsEntry("hostKeyPending.secondary-2", "SHA256:third-new");
        assertThat(new ConfigMapStateStore(client, resource).load()).isEqualTo(three);

        // the store that loaded the pin removes it, though the spec (a pair) does not name secondary-2
        ConfigMapStateStore store = new ConfigMapStateStore(client, resource);
        store.load();
        store.save(PINNED);
        assertThat(stateMap().getData().get("hostKey.secondary-2")).isNull();
        assertThat(stateMap().getData().get("hostKeyPending.secondary-2")).isNull();
        assertThat(new ConfigMapStateStore(client, resource).load()).isEqualTo(PINNED);
    }

    @Test
    void aKeyNamingNoReplicaIsReportedByName() {
        new ConfigMapStateStore(client, resource).save(PINNED);
        ConfigMap map = stateMap();
        map.getData().put("hostKey.tertiary", "SHA256:x");
        client.configMaps().inNamespace(NAMESPACE).resource(map).update();

        assertThatThrownBy(() -> new ConfigMapStateStore(client, resource).load())
                .hasMessageContaining("key hostKey.tertiary names no replica");
    }

    @Test
    void anOldStatusSeedsTheStateOnlyUntilItIsFirstWritten() {
        resource.setStatus(statusPinning("SHA256:from-status"));

        ConfigMapStateStore first = new ConfigMapStateStore(client, resource);
        assertThat(first.load().hostKey(Role.PRIMARY)).contains("SHA256:from-status");
        first.save(first.load());
        resource.setStatus(statusPinning("SHA256:edited-by-hand"));

        assertThat(new ConfigMapStateStore(client, resource).load().hostKey(Role.PRIMARY)).contains("SHA256:from-status");
    }

    @Test
    void aReleasedStateOutlivesTheResourceAndIsAdoptedByTheOneCreatedAgain() {
        new ConfigMapStateStore(client, resource).save(PINNED);

        new ConfigMapStateStore(client, resource).release();
        assertThat(stateMap().getMetadata().getOwnerReferences()).isNullOrEmpty();

        TraefikHACluster again = resource("0b5e0000-0000-4000-8000-000000000002");
        assertThat(new ConfigMapStateStore(client, again).load()).isEqualTo(PINNED);
        assertThat(stateMap().getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(again.getMetadata().getUid()));
    }

    @Test
    void aConfigMapOfThatNameThatIsNotTheOperatorsIsNeitherReadNorWritten() {
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata().withName("traefik-state")
                .endMetadata().addToData("hostKey.primary", "SHA256:planted").build()).create();

        assertThatThrownBy(() -> new ConfigMapStateStore(client, resource).load())
                .isInstanceOfSatisfying(ExternalSystemException.class, e -> {
                    assertThat(e.system()).isEqualTo("state");
                    assertThat(e.getMessage()).contains("homelab/traefik-state").contains("is not this operator's");
                });
        assertThat(stateMap().getData()).containsExactly(Map.entry("hostKey.primary", "SHA256:planted"));
    }

    @Test
    void theStateIsOnlyReadByNameCreatedAndPatched() throws Exception {
        int setup = api.getRequestCount();
        ConfigMapStateStore store = new ConfigMapStateStore(client, resource);
        store.load();
        store.save(PINNED);
        new ConfigMapStateStore(client, resource).save(PINNED.withPrimaryStoppedForCloneSince(T0));
        store.release();

        List<String> requests = new ArrayList<>();
        for (int i = 0, count = api.getRequestCount(); i < count; i++) {
            RecordedRequest request = api.takeRequest(5, TimeUnit.SECONDS);
            if (i >= setup) {
                requests.add(request.getMethod() + " " + request.getPath());
            }
        }
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r).matches(
                "GET /api/v1/namespaces/homelab/configmaps/traefik-state|POST /api/v1/namespaces/homelab/configmaps"
                        + "|PATCH /api/v1/namespaces/homelab/configmaps/traefik-state"));
        assertThat(requests).anyMatch(r -> r.startsWith("POST")).anyMatch(r -> r.startsWith("PATCH"));
    }

    private ConfigMap stateMap() {
        return client.configMaps().inNamespace(NAMESPACE).withName("traefik-state").get();
    }

    private static TraefikHACluster resource(String uid) {
        TraefikHACluster resource = ExampleSpecs.homelab();
        resource.getMetadata().setNamespace(NAMESPACE);
        resource.getMetadata().setUid(uid);
        return resource;
    }

    private static TraefikHAClusterStatus statusPinning(String fingerprint) {
        TraefikHAClusterStatus status = new TraefikHAClusterStatus();
        NodeStatus primary = new NodeStatus();
        primary.role = "primary";
        primary.hostKeyFingerprint = fingerprint;
        status.nodes = List.of(primary);
        return status;
    }
}
