package io.traefikha.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Role;
import io.traefikha.planner.DurableState;
import io.traefikha.step.DurableStateStore;
import io.traefikha.step.MemoryCodec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@link DurableState} of one TraefikHACluster in a ConfigMap it owns, {@code <name>-state}: the key
 * {@code primaryStoppedForCloneSince} (RFC 3339), one key {@code hostKey.<role>} per pinned node, one key
 * {@code hostKeyPending.<role>} per node whose host keys are being replaced, and the keys {@code backup.<field>} of the
 * backup taken before the first change (mode, node, storage, requestedAt, upid, volid, takenAt). Read once per
 * reconcile; each save is a create or a patch the API has acknowledged when it returns. The ConfigMap carries the
 * operator's label; one without it is someone else's and is neither read nor written. A ConfigMap released by an
 * earlier resource of the same name (no owner) is adopted, so its pins keep holding.
 */
public final class ConfigMapStateStore implements DurableStateStore {

    public static final String SUFFIX = "-state";
    static final String PRIMARY_STOPPED = "primaryStoppedForCloneSince";
    static final String HOST_KEY = "hostKey.";
    static final String BACKUP = "backup.";
    private static final List<String> BACKUP_FIELDS = List.of("mode", "node", "storage", "requestedAt", "upid", "volid",
            "takenAt");
    /** The staged host keys of a node whose keys are being replaced, space-separated fingerprints. */
    static final String HOST_KEY_PENDING = "hostKeyPending.";
    private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final String OPERATOR = "traefik-ha-operator";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final TraefikHACluster resource;
    private DurableState loaded;

    public ConfigMapStateStore(KubernetesClient client, TraefikHACluster resource) {
        this.client = client;
        this.resource = resource;
    }

    /**
     * The stored state; before the ConfigMap is first written, what an older operator kept in status (read until then,
     * never after, so a status edit cannot change a pin once it is stored).
     */
    @Override
    public DurableState load() {
        if (loaded == null) {
            ConfigMap map = get();
            if (map == null) {
                TraefikHAClusterStatus status = resource.getStatus();
                loaded = status == null ? DurableState.EMPTY : MemoryCodec.durableFrom(status);
            } else {
                checkOurs(map);
                loaded = parse(map.getData() == null ? Map.of() : map.getData());
                if (!ownedByThisResource(map)) {
                    save(loaded); // adopted: it goes with this resource now, until released again
                }
            }
        }
        return loaded;
    }

    @Override
    public void save(DurableState state) {
        ConfigMap map = new ConfigMapBuilder()
                .withNewMetadata().withName(name()).withNamespace(namespace())
                .addToLabels(MANAGED_BY, OPERATOR)
                .addToOwnerReferences(owner())
                .endMetadata()
                .withData(data(state))
                .build();
        try {
            String patch = mergePatch(state);
            client.configMaps().inNamespace(namespace()).resource(map)
                    .createOr(existing -> existing.patch(PatchContext.of(PatchType.JSON_MERGE), patch));
        } catch (KubernetesClientException e) {
            throw new ExternalSystemException("state", "could not write ConfigMap " + namespace() + "/" + name() + ": "
                    + e.getMessage(), e);
        }
        loaded = state;
    }

    /** Drops the owner reference (a JSON merge patch), so deleting the resource does not delete the ConfigMap. */
    @Override
    public void release() {
        try {
            if (get() != null) {
                client.configMaps().inNamespace(namespace()).withName(name())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"ownerReferences\":null}}");
            }
        } catch (KubernetesClientException e) {
            throw new ExternalSystemException("state", "could not release ConfigMap " + namespace() + "/" + name() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * For an existing ConfigMap: the label, this resource as the only owner (adopting a released one) and every key of
     * the state, a key the state no longer has set to null, which removes it. Nothing else of the ConfigMap changes.
     */
    private String mergePatch(DurableState state) {
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        metadata.putObject("labels").put(MANAGED_BY, OPERATOR);
        metadata.set("ownerReferences", JSON.createArrayNode().add(JSON.valueToTree(owner())));
        ObjectNode data = patch.putObject("data");
        data.putNull(PRIMARY_STOPPED);
        // every replica the spec names and every one a pin was kept for (a replica since removed from the spec)
        Set<Role> roles = new TreeSet<>(resource.getSpec().roles());
        roles.addAll(rolesOf(loaded == null ? DurableState.EMPTY : loaded));
        for (Role role : roles) {
            data.putNull(HOST_KEY + role.label());
            data.putNull(HOST_KEY_PENDING + role.label());
        }
        BACKUP_FIELDS.forEach(field -> data.putNull(BACKUP + field));
        data(state).forEach(data::put);
        return patch.toString();
    }

    static Map<String, String> data(DurableState state) {
        Map<String, String> data = new LinkedHashMap<>();
        if (state.primaryStoppedForClone()) {
            data.put(PRIMARY_STOPPED, state.primaryStoppedForCloneSince().toString());
        }
        for (Role role : rolesOf(state)) {
            state.hostKey(role).ifPresent(key -> data.put(HOST_KEY + role.label(), key));
            if (!state.pendingHostKeys(role).isEmpty()) {
                data.put(HOST_KEY_PENDING + role.label(), String.join(" ", new TreeSet<>(state.pendingHostKeys(role))));
            }
        }
        DurableState.Backup b = state.backup();
        if (b != null) {
            List<Object> values = Arrays.asList(b.mode(), b.node(), b.storage(), b.requestedAt(), b.upid(),
                    b.volid(), b.takenAt());
            for (int i = 0; i < BACKUP_FIELDS.size(); i++) {
                if (values.get(i) != null) {
                    data.put(BACKUP + BACKUP_FIELDS.get(i), values.get(i).toString());
                }
            }
        }
        return data;
    }

    private DurableState parse(Map<String, String> data) {
        DurableState state = DurableState.EMPTY;
        String stopped = data.get(PRIMARY_STOPPED);
        if (stopped != null && !stopped.isBlank()) {
            try {
                state = state.withPrimaryStoppedForCloneSince(Instant.parse(stopped.strip()));
            } catch (DateTimeParseException e) {
                throw new ExternalSystemException("state", "ConfigMap " + namespace() + "/" + name() + ": key "
                        + PRIMARY_STOPPED + " is not an RFC 3339 time: " + stopped.strip());
            }
        }
        for (Map.Entry<String, String> entry : new TreeMap<>(data).entrySet()) {
            String value = entry.getValue();
            if (value == null || value.isBlank()) {
                continue;
            }
            if (entry.getKey().startsWith(HOST_KEY)) {
                state = state.withHostKey(role(entry.getKey(), HOST_KEY), value.strip());
            } else if (entry.getKey().startsWith(HOST_KEY_PENDING)) {
                state = state.withPendingHostKeys(role(entry.getKey(), HOST_KEY_PENDING),
                        Set.copyOf(Arrays.asList(value.strip().split("\\s+"))));
            }
        }
        String mode = data.get(BACKUP + "mode");
        if (mode != null && !mode.isBlank()) {
            state = state.withBackup(new DurableState.Backup(mode.strip(), data.get(BACKUP + "node"),
                    data.get(BACKUP + "storage"), time(data, BACKUP + "requestedAt"), data.get(BACKUP + "upid"),
                    data.get(BACKUP + "volid"), time(data, BACKUP + "takenAt")));
        }
        return state;
    }

    /** The replica a key {@code hostKey.<role>} or {@code hostKeyPending.<role>} is about. */
    private Role role(String key, String prefix) {
        try {
            return Role.fromLabel(key.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new ExternalSystemException("state", "ConfigMap " + namespace() + "/" + name() + ": key " + key
                    + " names no replica (primary, secondary, secondary-2, ...)", e);
        }
    }

    /** The replicas the state pins a key or records staged keys for, in role order. */
    private static Set<Role> rolesOf(DurableState state) {
        Set<Role> roles = new TreeSet<>(state.hostKeys().keySet());
        roles.addAll(state.pendingHostKeys().keySet());
        return roles;
    }

    private Instant time(Map<String, String> data, String key) {
        String value = data.get(key);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ExternalSystemException("state", "ConfigMap " + namespace() + "/" + name() + ": key " + key
                    + " is not an RFC 3339 time: " + value.strip());
        }
    }

    private void checkOurs(ConfigMap map) {
        Map<String, String> labels = map.getMetadata().getLabels();
        List<OwnerReference> owners = map.getMetadata().getOwnerReferences();
        boolean ours = labels != null && OPERATOR.equals(labels.get(MANAGED_BY))
                && (owners == null || owners.stream().allMatch(o -> resource.getKind().equals(o.getKind())
                        && resource.getMetadata().getName().equals(o.getName())));
        if (!ours) {
            throw new ExternalSystemException("state", "ConfigMap " + namespace() + "/" + name() + " exists but is not"
                    + " this operator's (it needs the label " + MANAGED_BY + "=" + OPERATOR + " and no owner but this"
                    + " TraefikHACluster); the operator keeps its pinned host keys there, so it is left alone and nothing"
                    + " is changed until it is renamed or deleted");
        }
    }

    private boolean ownedByThisResource(ConfigMap map) {
        List<OwnerReference> owners = map.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> resource.getMetadata().getUid().equals(o.getUid()));
    }

    private OwnerReference owner() {
        return new OwnerReferenceBuilder().withApiVersion(resource.getApiVersion()).withKind(resource.getKind())
                .withName(resource.getMetadata().getName()).withUid(resource.getMetadata().getUid()).withController(true)
                .build();
    }

    private ConfigMap get() {
        try {
            return client.configMaps().inNamespace(namespace()).withName(name()).get();
        } catch (KubernetesClientException e) {
            throw new ExternalSystemException("state", "could not read ConfigMap " + namespace() + "/" + name() + ": "
                    + e.getMessage(), e);
        }
    }

    private String name() {
        return resource.getMetadata().getName() + SUFFIX;
    }

    private String namespace() {
        return resource.getMetadata().getNamespace();
    }
}
