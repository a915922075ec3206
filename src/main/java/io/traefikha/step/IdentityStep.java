package io.traefikha.step;

import io.traefikha.api.v1alpha1.HostIdentityState;
import io.traefikha.api.v1alpha1.NodeStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.planner.DurableState;
import io.traefikha.planner.IdentityPlanner;
import io.traefikha.planner.IdentityPlanner.Decision;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Each secondary's own host identity: a clone starts with CT 110's SSH host keys and machine id, which this step
 * replaces once per secondary ({@link IdentityPlanner} decides), crash-safely: new keys are staged on the secondary, their
 * fingerprints recorded in the state object (write-ahead), and only then are the machine ids replaced, the keys moved
 * into place and sshd reloaded; the key it then presents is pinned and the record cleared. While the record exists the
 * secondary may present its old key or a staged one and nothing else, so a crash anywhere in between is finished by the
 * next round. The primary's keys and pin are never changed.
 *
 * <p>Why here, right after {@link SecondaryStep}: Proxmox has no exec for containers, so SSH to the secondary's own
 * address, after its first start, is the first chance; running before the firewall, keepalived, lsyncd and DNS steps
 * means none of them relies on the secondary (or pins its key for lsyncd) before its identity is its own.
 */
public final class IdentityStep implements ReconcileStep {

    private static final Logger LOG = Logger.getLogger(IdentityStep.class);
    private final EventRecorder events;

    public IdentityStep(EventRecorder events) {
        this.events = events;
    }

    @Override
    public Next apply(Round round) {
        // a secondary that is not running has nothing to reach; its status comes from Proxmox
        List<Role> running = round.spec().secondaryRoles().stream()
                .filter(role -> round.proxmox().container(role).running()).toList();
        if (running.isEmpty()) {
            return Next.CONTINUE;
        }
        NodeGateway nodes;
        DurableState durable;
        try {
            durable = round.durable();
            nodes = round.connections().nodes();
        } catch (ExternalSystemException e) {
            return Next.CONTINUE; // the keepalived step reports why the nodes or the state cannot be reached
        }
        boolean fromSecret = nodes.hostKeysFromSecret();
        // With new keys recorded the decision needs no look at the nodes; without, a pinned key needs none either.
        Map<Role, Set<String>> pending = new TreeMap<>();
        running.forEach(role -> pending.put(role, durable.pendingHostKeys(role)));
        boolean lookAtPrimary = pending.values().stream().anyMatch(staged -> looks(fromSecret, staged));
        Optional<String> primaryKey = lookAtPrimary ? key(round, nodes, Role.PRIMARY) : Optional.empty();
        Map<Role, Optional<String>> keys = new TreeMap<>();
        pending.forEach((role, staged) -> keys.put(role,
                looks(fromSecret, staged) ? key(round, nodes, role) : Optional.empty()));
        Next next = Next.CONTINUE;
        for (Map.Entry<Role, Decision> entry : IdentityPlanner.decideEach(fromSecret, primaryKey, keys, pending)
                .entrySet()) {
            Role role = entry.getKey();
            switch (entry.getValue()) {
                case OWN -> round.identity(role, HostIdentityState.Own);
                case COPIED_KEPT -> copiedKept(round, role);
                case REGENERATE, RESUME -> {
                    if (replace(round, nodes, role, entry.getValue(), keys.get(role)) == Next.STOP) {
                        next = Next.STOP; // the other secondaries still get their own identity this round
                    }
                }
                case UNKNOWN -> {
                    // decided once both keys are known; the status keeps what it said
                }
            }
        }
        return next;
    }

    /** Whether a secondary's decision needs its key and the primary's: not while new keys are recorded for it. */
    private static boolean looks(boolean fromSecret, Set<String> pending) {
        return pending.isEmpty() || fromSecret;
    }

    /** The node's pinned key, else the one it presents now (a primary Proxmox shows stopped is not asked). */
    private static Optional<String> key(Round round, NodeGateway nodes, Role role) {
        Optional<String> pinned = round.durable().hostKey(role);
        if (pinned.isPresent() || role == Role.PRIMARY && !round.proxmox().primary().running()) {
            return pinned;
        }
        return nodes.presentedHostKey(role);
    }

    /** @param copiedKey the key the secondary shares with the primary (REGENERATE only) */
    private Next replace(Round round, NodeGateway nodes, Role role, Decision decision, Optional<String> copiedKey) {
        int vmid = round.spec().container(role).vmid;
        String what = "regenerate the SSH host keys and machine id of the " + role.label() + " CT " + vmid
                + " (a clone has those of CT " + round.spec().primary.vmid + ")";
        round.planned(what);
        if (round.dryRun()) {
            return Next.CONTINUE;
        }
        round.identity(role, HostIdentityState.Regenerating);
        try {
            Set<String> staged = round.durable().pendingHostKeys(role);
            if (decision == Decision.REGENERATE) {
                tellStart(round, role);
                staged = nodes.stageHostKeys(role);
                recordStaged(round, role, copiedKey.orElseThrow(), staged);
            }
            Optional<String> presented = nodes.installHostIdentity(role, staged);
            if (presented.isEmpty()) {
                // The staged keys are gone (removed by hand, a restored backup): the old key is still live, so the
                // record goes and the next round stages afresh.
                round.persist(state -> state.withPendingHostKeys(role, Set.of()));
                round.lookAgainSoon();
                return Next.STOP;
            }
            round.persist(state -> state.withHostKey(role, presented.get()).withPendingHostKeys(role, Set.of()));
            round.identity(role, HostIdentityState.Own);
            events.normal(round.resource(), "HostIdentityRegenerated", "CT " + vmid + " has its own SSH host key, "
                    + presented.get() + " (pinned), and its own machine id");
            return Next.CONTINUE;
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: %s", round.id(), e.getMessage());
            round.status().condition(ConditionTypes.SECONDARY_PROVISIONED, false, "IdentityNotUnique", "CT " + vmid
                    + " still has to get its own SSH host keys and machine id (retried each round): " + e.getMessage());
            // A new pair waits for it; one already serving is kept running meanwhile.
            return round.serving() ? Next.CONTINUE : Next.STOP;
        }
    }

    /**
     * The staged keys, and the copied key as the pin of a node that had none yet (a fresh clone, a primary first seen
     * this round), in one write before anything is moved: from now on the secondary may present its old key or a
     * staged one, and nothing else.
     */
    private static void recordStaged(Round round, Role secondary, String copiedKey, Set<String> staged) {
        round.persist(state -> {
            DurableState next = state;
            for (Role role : List.of(Role.PRIMARY, secondary)) {
                if (next.hostKey(role).isEmpty()) {
                    next = next.withHostKey(role, copiedKey);
                }
            }
            return next.withPendingHostKeys(secondary, staged);
        });
    }

    /** Told once per replacement; a secondary pinned with the primary's key was provisioned before this was done. */
    private void tellStart(Round round, Role secondary) {
        int vmid = round.spec().container(secondary).vmid;
        int primary = round.spec().primary.vmid;
        String message = round.durable().hostKey(secondary).isPresent()
                ? "CT " + vmid + " was provisioned with the SSH host keys and machine id of CT " + primary + " (before the"
                        + " operator made a clone's identity its own): regenerating them once"
                : "CT " + vmid + " is a clone with the SSH host keys and machine id of CT " + primary
                        + ": regenerating them before keepalived and DNS rely on it";
        events.normal(round.resource(), "HostIdentityRegenerating", message);
    }

    /** With knownHosts the keys are the user's: told once (when the status did not already say so). */
    private void copiedKept(Round round, Role secondary) {
        round.identity(secondary, HostIdentityState.CopiedFromPrimary);
        NodeStatus before = round.status().previous().nodes == null ? null : round.status().previous().nodes.stream()
                .filter(n -> secondary.label().equals(n.role)).findFirst().orElse(null);
        if (before == null || before.hostIdentity != HostIdentityState.CopiedFromPrimary) {
            events.warning(round.resource(), "HostIdentityCopied", "CT " + round.spec().container(secondary).vmid + " presents the SSH"
                    + " host key of CT " + round.spec().primary.vmid + "; knownHosts in the SSH Secret pins the keys, so"
                    + " the operator leaves them: regenerate them on the secondary and update knownHosts (see the README,"
                    + " Preparing your homelab)");
        }
    }
}
