package io.traefikha.domain;

import java.util.List;
import java.util.Locale;

/**
 * Which replica a node is: the primary (the container the user runs, which the operator never creates or deletes) or a
 * secondary. A pair has one secondary; replicas beyond it are numbered from 2 ({@link #label()} "secondary-2"). Ordered
 * by that number, so maps keyed by role list the primary first.
 */
public final class Role implements Comparable<Role> {

    public static final Role PRIMARY = new Role(0);
    public static final Role SECONDARY = new Role(1);
    private static final List<Role> PAIR = List.of(PRIMARY, SECONDARY);
    private static final String SECONDARY_PREFIX = "secondary-";

    private final int index;

    private Role(int index) {
        this.index = index;
    }

    /** The replica with this number: 0 the primary, 1 the (first) secondary, n the n-th secondary. */
    public static Role of(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("a replica's number is 0 or more, not " + index);
        }
        return index < PAIR.size() ? PAIR.get(index) : new Role(index);
    }

    /** The two nodes of a pair, the primary first. */
    public static List<Role> pair() {
        return PAIR;
    }

    /** How messages name every replica of a cluster of COUNT: "both nodes" for a pair, "all 3 nodes" beyond. */
    public static String everyNode(int count) {
        return count == 2 ? "both nodes" : "all " + count + " nodes";
    }

    /** The role {@link #label()} wrote (in status, the typed memory, the spec's maintenance.node), case-insensitive. */
    public static Role fromLabel(String label) {
        String lower = label.toLowerCase(Locale.ROOT);
        if (lower.equals(PRIMARY.label())) {
            return PRIMARY;
        }
        if (lower.equals(SECONDARY.label())) {
            return SECONDARY;
        }
        if (lower.startsWith(SECONDARY_PREFIX) && lower.substring(SECONDARY_PREFIX.length()).matches("[2-9]|[1-9][0-9]+")) {
            return of(Integer.parseInt(lower.substring(SECONDARY_PREFIX.length())));
        }
        throw new IllegalArgumentException("not a replica: " + label);
    }

    public int index() {
        return index;
    }

    /** As written in status.nodes[].role and in messages: "primary", "secondary", "secondary-2", ... */
    public String label() {
        return index == 0 ? "primary" : index == 1 ? "secondary" : SECONDARY_PREFIX + index;
    }

    /** The other node of a pair. */
    public Role peer() {
        if (index > 1) {
            throw new IllegalStateException("the " + label() + " has more than one peer");
        }
        return index == 0 ? SECONDARY : PRIMARY;
    }

    @Override
    public int compareTo(Role other) {
        return Integer.compare(index, other.index);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Role role && role.index == index;
    }

    @Override
    public int hashCode() {
        return index;
    }

    /** PRIMARY, SECONDARY, SECONDARY_2, ...: as the enum this class replaced printed itself. */
    @Override
    public String toString() {
        return label().toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
