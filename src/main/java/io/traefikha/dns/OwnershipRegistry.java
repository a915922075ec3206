package io.traefikha.dns;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the operator changed and what was there before, because DNS rewrites carry no owner: fully qualified name ->
 * the answers it had before the operator's first change (an empty list: the name did not exist). Rollback restores
 * exactly these and touches no other name. A plain value: Jackson writes it as
 * {@code {"previousAnswers":{"grafana.example.org":["192.168.1.110"]}}} for a ConfigMap or status field.
 */
public record OwnershipRegistry(Map<String, List<String>> previousAnswers) {

    public OwnershipRegistry {
        TreeMap<String, List<String>> copy = new TreeMap<>();
        if (previousAnswers != null) {
            previousAnswers.forEach((name, answers) -> copy.put(name, List.copyOf(answers)));
        }
        previousAnswers = Collections.unmodifiableMap(copy);
    }

    public static OwnershipRegistry empty() {
        return new OwnershipRegistry(Map.of());
    }

    public boolean owns(String name) {
        return previousAnswers.containsKey(name);
    }

    /** @return the answers before the operator's first change, or null when the operator does not own the name */
    public List<String> previous(String name) {
        return previousAnswers.get(name);
    }

    /** Records the answers a name had before the operator changes it; the first record of a name is the one kept. */
    public OwnershipRegistry with(String name, List<String> previous) {
        if (owns(name)) {
            return this;
        }
        Map<String, List<String>> copy = new TreeMap<>(previousAnswers);
        copy.put(name, previous);
        return new OwnershipRegistry(copy);
    }

    public OwnershipRegistry without(String name) {
        if (!owns(name)) {
            return this;
        }
        Map<String, List<String>> copy = new TreeMap<>(previousAnswers);
        copy.remove(name);
        return new OwnershipRegistry(copy);
    }
}
