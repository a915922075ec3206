package io.traefikha.gateway;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.LsyncdObservation;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.PrimaryChecks;
import io.traefikha.domain.Role;
import io.traefikha.sync.SyncKeyPair;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The two containers as the reconciler needs them: one probe each, and actions over SSH. */
public interface NodeGateway extends AutoCloseable {

    /**
     * One round trip to the node; never throws for an unreachable node, which is an observation
     * ({@link NodeObservation#unreachable}).
     *
     * @param managedFiles the files whose hashes the probe reports
     */
    NodeObservation probe(Role role, List<ManagedFile> managedFiles);

    void apply(NodeAction action) throws ExternalSystemException;

    /**
     * Preflight on the primary, one round trip, read-only: duplicate address detection for each of {@code addresses}
     * from the primary's interface ({@code arping -D}, nothing is claimed), and the capabilities of its init.
     *
     * @throws ExternalSystemException when the primary cannot be reached
     */
    PrimaryChecks checkPrimary(List<String> addresses) throws ExternalSystemException;

    /**
     * One round of config sync from the primary to the secondaries that answered: compare the file trees, copy what
     * differs (drift is healed), confirm; every other secondary is reported {@link SyncOutcome#unreachable}. Only called
     * when the primary answered its probe, and never under dry run.
     *
     * @param answered the secondaries that answered this round's probe
     */
    SyncOutcome syncConfig(SyncSpec spec, SyncMemory memory, Instant now, Set<Role> answered) throws ExternalSystemException;

    /**
     * In Lsyncd mode, what this round's probes saw of lsyncd on both nodes, once (the lsyncd planner acts on it, and
     * a later call, after the nodes may have changed, is empty); empty when the probes did not report it.
     */
    default Optional<LsyncdObservation> lsyncdObservation() {
        return Optional.empty();
    }

    /**
     * A full lsyncd install, looking at the nodes itself, for when no probe reported them: the sync key accepted on the
     * secondary (rsync only), lsyncd installed, configured, enabled and running on the primary; restarted only when its
     * files changed, started when found stopped.
     */
    LsyncdOutcome ensureLsyncd(SyncSpec spec, String clusterName, SyncKeyPair key) throws ExternalSystemException;

    /** lsyncd stopped and disabled on the primary (sync left Lsyncd mode). */
    void stopLsyncd() throws ExternalSystemException;

    /**
     * The fingerprint of the host key the node presents ("SHA256:...", its session opened when none is yet), or empty
     * when it cannot be reached or its key is refused (its probe then says why).
     */
    default Optional<String> presentedHostKey(Role role) {
        return Optional.empty();
    }

    /** Whether the SSH Secret's knownHosts verifies the host keys: then the operator never replaces a node's keys. */
    default boolean hostKeysFromSecret() {
        return false;
    }

    /**
     * New SSH host keys generated on a secondary beside its live ones (the same ones again when already there), for
     * the caller to record before {@link #installHostIdentity} puts them in place.
     *
     * @param secondary the secondary whose keys are replaced (never the primary)
     * @return the fingerprints of the staged keys
     */
    default Set<String> stageHostKeys(Role secondary) throws ExternalSystemException {
        throw new UnsupportedOperationException("this gateway does not replace host keys");
    }

    /**
     * Gives a secondary its own identity: new machine ids, the staged host keys in place, sshd reloaded; then a new
     * connection that accepts only a staged key. Safe to repeat after a crash at any point. The primary is never touched.
     *
     * @param secondary the secondary whose keys {@link #stageHostKeys} staged
     * @param staged    the fingerprints {@link #stageHostKeys} returned (and the caller recorded)
     * @return the staged key the secondary now presents, or empty when the staged keys are gone or not these (they are
     *         to be staged and recorded again)
     */
    default Optional<String> installHostIdentity(Role secondary, Set<String> staged) throws ExternalSystemException {
        throw new UnsupportedOperationException("this gateway does not replace host keys");
    }

    /** SSH host key fingerprints seen for the first time this reconcile ("SHA256:..."), to be pinned in status. */
    default Map<Role, String> learnedHostKeys() {
        return Map.of();
    }

    @Override
    default void close() {
    }
}
