package io.traefikha.api.v1alpha1;

import java.util.Optional;

/**
 * Why part of a stored TraefikHACluster could not be read: the field (as kubectl explain spells it, e.g.
 * {@code spec.vip.address}) and what was found there instead. A resource stored past the CRD's schema (validation
 * bypassed, an older or newer CRD) arrives as {@link UnreadableSpec} or {@link UnreadableStatus} rather than failing
 * the informer that delivers every resource.
 */
public record Unreadable(String field, String problem) {

    /** The unreadable part of this resource, spec first; empty when the operator could read all of it. */
    public static Optional<Unreadable> in(TraefikHACluster resource) {
        if (resource.getSpec() instanceof UnreadableSpec spec) {
            return Optional.of(spec.unreadable());
        }
        if (resource.getStatus() instanceof UnreadableStatus status) {
            return Optional.of(status.unreadable());
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return field + ": " + problem;
    }
}
