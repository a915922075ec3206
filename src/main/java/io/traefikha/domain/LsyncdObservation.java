package io.traefikha.domain;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this round's probes saw of lsyncd's footing on the primary and every secondary, for the lsyncd planner, with
 * what rendering its files needs to know of the nodes.
 *
 * @param primary            the primary's packages, service state and sync key
 * @param primaryHashes      SHA-256 of the primary's lsyncd files that exist, by path
 * @param primaryLoaded      SHA-256 of the files lsyncd read when the operator last (re)started it, by path (the
 *                           node's record; empty without one)
 * @param secondaries        each secondary as its probe saw it, by role
 * @param primaryHost        the address the primary is reached at
 * @param authorizedKeysFile where the secondaries' sshd reads root's keys (the sync key goes there)
 */
public record LsyncdObservation(LsyncdFacts primary, Map<String, String> primaryHashes,
        Map<String, String> primaryLoaded, Map<Role, Secondary> secondaries, String primaryHost,
        String authorizedKeysFile) {

    public LsyncdObservation {
        primaryHashes = Map.copyOf(primaryHashes);
        primaryLoaded = Map.copyOf(primaryLoaded);
        secondaries = new TreeMap<>(secondaries);
    }

    /**
     * One secondary, a target of lsyncd on the primary.
     *
     * @param facts  its packages, host keys and sync key
     * @param hashes SHA-256 of its lsyncd files that exist, by path
     * @param host   the address lsyncd on the primary reaches it at
     * @param port   its SSH port
     */
    public record Secondary(LsyncdFacts facts, Map<String, String> hashes, String host, int port) {
        public Secondary {
            hashes = Map.copyOf(hashes);
        }
    }

    /** Whether every secondary reported its host keys (lsyncd's known_hosts is rendered from them). */
    public boolean hostKeysOfEverySecondary() {
        return secondaries.values().stream().map(s -> s.facts().hostKeys()).noneMatch(List::isEmpty);
    }
}
