package io.traefikha.dns;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the operator changed and what was there before, because DNS rewrites carry no owner: fully qualified name ->
 * the answers it had before the operator's first change (an empty list: the name did not exist). Rollback restores
 * exactly these and touches no other name. A plain value: Jackson writes it as
 * {@code {"previousAnswers":{"grafana.example.org":["192.168.1.110"]}}} for a ConfigMap or status field.
 *
 * @param previousAnswers the A answers before the operator's first change, per name
 * @param previousAaaaAnswers the same for the AAAA answers (IPv6 VIP), per name
 * @param aaaaVip the IPv6 VIP the owned AAAA answers were set to: a revert gives a name back only while it still answers
 *        this, even once the IPv6 VIP has left the spec; null while no AAAA answer is owned
 */
public record OwnershipRegistry(Map<String, List<String>> previousAnswers,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, List<String>> previousAaaaAnswers,
        @JsonInclude(JsonInclude.Include.NON_NULL) String aaaaVip) {

    public OwnershipRegistry {
        previousAnswers = copy(previousAnswers);
        previousAaaaAnswers = copy(previousAaaaAnswers);
        aaaaVip = previousAaaaAnswers.isEmpty() ? null : aaaaVip;
    }

    /** A registry of A answers only. */
    public OwnershipRegistry(Map<String, List<String>> previousAnswers) {
        this(previousAnswers, Map.of(), null);
    }

    public static OwnershipRegistry empty() {
        return new OwnershipRegistry(Map.of());
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> answers) {
        TreeMap<String, List<String>> copy = new TreeMap<>();
        if (answers != null) {
            answers.forEach((name, list) -> copy.put(name, List.copyOf(list)));
        }
        return Collections.unmodifiableMap(copy);
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
        return new OwnershipRegistry(copy, previousAaaaAnswers, aaaaVip);
    }

    public OwnershipRegistry without(String name) {
        if (!owns(name)) {
            return this;
        }
        Map<String, List<String>> copy = new TreeMap<>(previousAnswers);
        copy.remove(name);
        return new OwnershipRegistry(copy, previousAaaaAnswers, aaaaVip);
    }

    public boolean ownsAaaa(String name) {
        return previousAaaaAnswers.containsKey(name);
    }

    /** Records the AAAA answers a name had before the operator sets them to {@code vip}; the first record is kept. */
    public OwnershipRegistry withAaaa(String name, List<String> previous, String vip) {
        if (ownsAaaa(name)) {
            return this;
        }
        Map<String, List<String>> copy = new TreeMap<>(previousAaaaAnswers);
        copy.put(name, previous);
        return new OwnershipRegistry(previousAnswers, copy, vip);
    }

    public OwnershipRegistry withoutAaaa(String name) {
        if (!ownsAaaa(name)) {
            return this;
        }
        Map<String, List<String>> copy = new TreeMap<>(previousAaaaAnswers);
        copy.remove(name);
        return new OwnershipRegistry(previousAnswers, copy, aaaaVip);
    }
}
