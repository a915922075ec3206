package io.traefikha.step;

/**
 * One named part of a reconcile round ({@link ClusterReconciliation}): it reads what earlier steps left in the
 * {@link Round}, observes, plans, acts, reports to the round's status, and says whether the round goes on.
 */
@FunctionalInterface
public interface ReconcileStep {

    /** Whether the steps after this one run; the round's status is reported either way. */
    enum Next {
        CONTINUE,
        /** The rest of the round needs what this step could not establish (Proxmox unread, the secondary not ready). */
        STOP
    }

    Next apply(Round round);

    /** The step's name in conditions, Events and metrics: its class name without "Step" (Secondary, Keepalived, Dns...). */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.endsWith("Step") ? simple.substring(0, simple.length() - "Step".length()) : simple;
    }
}
