package io.traefikha.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The cluster's storages as far as placing the secondary's disks cares: which storage is enabled on which node, whether
 * it is shared (one store every node sees: NFS, Ceph) and whether it holds container disks. Read only while a clone or
 * a migration can be needed; {@link #UNREAD} otherwise.
 *
 * @param byNode node -> storage id -> the storage there; null when not read
 */
public record StorageView(Map<String, Map<String, Storage>> byNode) {

    public static final StorageView UNREAD = new StorageView(null);

    /** One storage as one node has it. */
    public record Storage(String id, boolean shared, boolean holdsContainers) {
    }

    public boolean read() {
        return byNode != null;
    }

    public Optional<Storage> on(String node, String id) {
        return read() ? Optional.ofNullable(byNode.getOrDefault(node, Map.of()).get(id)) : Optional.empty();
    }

    /** The nodes that have {@code id}, sorted. */
    public List<String> nodesWith(String id) {
        return read() ? byNode.entrySet().stream().filter(e -> e.getValue().containsKey(id)).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)).stream().toList() : List.of();
    }

    /** The storages on {@code node} that can hold a container's disks, sorted. */
    public List<String> containerStoragesOn(String node) {
        return read() ? byNode.getOrDefault(node, Map.of()).values().stream().filter(Storage::holdsContainers)
                .map(Storage::id).sorted().toList() : List.of();
    }
}
