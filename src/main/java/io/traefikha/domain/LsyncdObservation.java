package io.traefikha.domain;

import java.util.Map;

/**
 * What this round's probes saw of lsyncd's footing on both nodes, for the lsyncd planner, with what rendering its files
 * needs to know of the nodes.
 *
 * @param primary            the primary's packages, service state and sync key
 * @param primaryHashes      SHA-256 of the primary's lsyncd files that exist, by path
 * @param primaryLoaded      SHA-256 of the files lsyncd read when the operator last (re)started it, by path (the
 *                           node's record; empty without one)
 * @param secondary          the secondary's packages, host keys and sync key
 * @param secondaryHashes    SHA-256 of the secondary's lsyncd files that exist, by path
 * @param primaryHost        the address the primary is reached at
 * @param secondaryHost      the address lsyncd on the primary reaches the secondary at
 * @param secondaryPort      the secondary's SSH port
 * @param authorizedKeysFile where the secondary's sshd reads root's keys (the sync key goes there)
 */
public record LsyncdObservation(LsyncdFacts primary, Map<String, String> primaryHashes,
        Map<String, String> primaryLoaded, LsyncdFacts secondary,
        Map<String, String> secondaryHashes, String primaryHost, String secondaryHost, int secondaryPort,
        String authorizedKeysFile) {

    public LsyncdObservation {
        primaryHashes = Map.copyOf(primaryHashes);
        primaryLoaded = Map.copyOf(primaryLoaded);
        secondaryHashes = Map.copyOf(secondaryHashes);
    }
}
