package io.traefikha.planner;

import io.traefikha.domain.Role;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whether each secondary still carries the identity it was cloned with (CT 110's SSH host keys and machine id) and what
 * to do about it. A pure function: no I/O, table-tested.
 *
 * <p>The mark that the secondary has its own identity is its host key: the new keys are moved into place after the
 * machine ids are replaced, so a secondary whose key differs from the primary's is done, and one whose key is the
 * primary's (a fresh clone, or a secondary provisioned before the operator did this) is not. Both keys are pinned in
 * the state object, so the decision needs no look at the nodes once they are, and a lost or edited status cannot make
 * it run twice.
 */
public final class IdentityPlanner {

    private IdentityPlanner() {
    }

    /** What the secondary's identity needs. */
    public enum Decision {
        /** Its host key differs from the primary's: nothing to do. */
        OWN,
        /** A key is not known yet (a node not reached this round): decided on a later round. */
        UNKNOWN,
        /** Its host key is the primary's: stage new keys, record them, put them in place with new machine ids, pin. */
        REGENERATE,
        /** New keys were recorded and a crash may have come anywhere after: finish the same replacement. */
        RESUME,
        /**
         * Its host key is the primary's, but the SSH Secret's knownHosts pins the keys: the operator must not replace
         * them (it would lock itself out); the user is told how.
         */
        COPIED_KEPT
    }

    /**
     * @param hostKeysFromSecret the SSH Secret's knownHosts verifies the host keys
     * @param primaryKey         the primary's host key fingerprint: its pin, else the key it presented this round
     * @param secondaryKey       the same for the secondary
     * @param pending            the staged keys recorded for the secondary (write-ahead), empty when none are
     */
    public static Decision decide(boolean hostKeysFromSecret, Optional<String> primaryKey, Optional<String> secondaryKey,
            Set<String> pending) {
        if (!pending.isEmpty() && !hostKeysFromSecret) {
            return Decision.RESUME;
        }
        if (primaryKey.isEmpty() || secondaryKey.isEmpty()) {
            return Decision.UNKNOWN;
        }
        if (!primaryKey.equals(secondaryKey)) {
            return Decision.OWN;
        }
        return hostKeysFromSecret ? Decision.COPIED_KEPT : Decision.REGENERATE;
    }

    /**
     * {@link #decide} for each secondary of any number of replicas: every one is a clone of the primary, so each is
     * compared with the primary alone, and one secondary's keys or record never decide for another.
     *
     * @param secondaryKeys each secondary's host key fingerprint (its pin, else the key it presented this round), by role
     * @param pending       the staged keys recorded per secondary; a secondary without a record may be absent
     * @return the decision per secondary, in role order
     */
    public static Map<Role, Decision> decideEach(boolean hostKeysFromSecret, Optional<String> primaryKey,
            Map<Role, Optional<String>> secondaryKeys, Map<Role, Set<String>> pending) {
        Map<Role, Decision> decisions = new TreeMap<>();
        secondaryKeys.forEach((role, key) -> decisions.put(role,
                decide(hostKeysFromSecret, primaryKey, key, pending.getOrDefault(role, Set.of()))));
        return decisions;
    }
}
