package io.traefikha.demo.kubeapi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * The fabric8 CRUD mock as the object store, telling subscribers about every change: the mock itself only tells its
 * WebSocket watches, and kubectl watches over plain HTTP.
 */
final class ObjectStore extends KubernetesCrudDispatcher {

    /** A stored object changed; the before side is null for a creation, the after side for a removal. */
    record Change(AttributeSet beforeKey, String before, AttributeSet afterKey, String after) {
    }

    private final Set<Consumer<Change>> subscribers = new CopyOnWriteArraySet<>();

    /** Until the returned handle runs, {@code subscriber} sees every change, on the thread that made it. */
    Runnable subscribe(Consumer<Change> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Called by the mock, under its write lock, for every creation, update and removal. */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        String before = oldAttributes == null ? null : map.get(oldAttributes);
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (!Objects.equals(before, newState)) {
            Change change = new Change(before == null ? null : oldAttributes, before, keyOf(newState), newState);
            subscribers.forEach(subscriber -> subscriber.accept(change));
        }
    }

    /** The key the mock just stored {@code state} under (it computes it privately). */
    private AttributeSet keyOf(String state) {
        if (state == null) {
            return null;
        }
        return map.entrySet().stream().filter(entry -> entry.getValue() == state).map(Map.Entry::getKey).findFirst()
                .orElse(null);
    }
}
