package io.traefikha.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The HTTP routers a node's Traefik has loaded, as its API lists them: how many, a hash over all of them, and the
 * first of them by name with their status ("enabled", "warning", "disabled"). The node computes the hash over every
 * router, so two nodes compare in full even when their lists were cut at {@link #LISTED_AT_MOST}.
 *
 * @param count  routers loaded
 * @param sha256 SHA-256 of the sorted "name TAB status" lines, each ending in a newline
 * @param listed the first routers in name order, at most {@link #LISTED_AT_MOST}, name to status
 */
public record LoadedRouters(int count, String sha256, SortedMap<String, String> listed) {

    /** How many routers a probe lists by name: a homelab has tens; this bounds the probe's output. */
    public static final int LISTED_AT_MOST = 256;

    public LoadedRouters {
        listed = Collections.unmodifiableSortedMap(new TreeMap<>(listed));
    }

    /** Every router listed, with the hash the node's script computes (sorted by name, "name TAB status" lines). */
    public static LoadedRouters of(Map<String, String> statusByName) {
        TreeMap<String, String> sorted = new TreeMap<>(statusByName);
        StringBuilder lines = new StringBuilder();
        sorted.forEach((name, status) -> lines.append(name).append('\t').append(status).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(lines.toString().getBytes(StandardCharsets.UTF_8));
            return new LoadedRouters(sorted.size(), HexFormat.of().formatHex(digest), sorted);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** Every router loaded is listed (else the list stops at {@link #LISTED_AT_MOST}). */
    public boolean complete() {
        return listed.size() >= count;
    }

    /** The same routers with the same status (by the node's hash over all of them). */
    public boolean sameAs(LoadedRouters other) {
        return count == other.count && sha256.equals(other.sha256);
    }
}
