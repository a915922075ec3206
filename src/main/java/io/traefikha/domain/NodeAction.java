package io.traefikha.domain;

import java.util.List;

/** One change inside a container, done over SSH. Each describes itself for status.plannedActions and Events. */
public sealed interface NodeAction extends Action {

    /**
     * Why a daemon is reloaded or restarted although nothing was written this time: the disk holds the configuration
     * wanted, but the daemon runs an older one (the operator stopped between writing and reloading, or the reload failed).
     */
    String NOT_APPLIED = "it runs an older configuration than the one written";

    Role role();

    /** Whether this only makes a daemon take up what is already written ({@link #NOT_APPLIED}). */
    default boolean appliesWritten() {
        return false;
    }

    @Override
    default String eventReason() {
        return "NodeChanged";
    }

    @Override
    default void carryOut(Executor executor) {
        executor.node(this);
    }

    record InstallPackage(Role role, String packageName) implements NodeAction {
        public String describe() {
            return "install " + packageName + " on the " + role.label();
        }
    }

    record WriteFile(Role role, ManagedFile file) implements NodeAction {
        public String describe() {
            return "write " + file.path() + " on the " + role.label();
        }
    }

    record EnableService(Role role, String service) implements NodeAction {
        public String describe() {
            return "enable " + service + " at boot on the " + role.label();
        }
    }

    record StartService(Role role, String service) implements NodeAction {
        @Override
        public String eventReason() {
            return "Started";
        }

        public String describe() {
            return "start " + service + " on the " + role.label();
        }
    }

    record ReloadService(Role role, String service, String why) implements NodeAction {
        @Override
        public boolean appliesWritten() {
            return NOT_APPLIED.equals(why);
        }

        public String describe() {
            return "reload " + service + " on the " + role.label() + " (" + why + ")";
        }
    }

    record StopService(Role role, String service) implements NodeAction {
        public String describe() {
            return "stop " + service + " on the " + role.label();
        }
    }

    record DisableService(Role role, String service) implements NodeAction {
        public String describe() {
            return "disable " + service + " at boot on the " + role.label();
        }
    }

    record RestartService(Role role, String service, String why) implements NodeAction {
        @Override
        public String eventReason() {
            return "Repaired";
        }

        @Override
        public boolean appliesWritten() {
            return NOT_APPLIED.equals(why);
        }

        public String describe() {
            return "restart " + service + " on the " + role.label() + " (" + why + ")";
        }
    }

    /**
     * Puts back what the node kept before the operator's first change to each file, or removes a file the operator
     * created; a file the operator never changed has nothing kept and stays as it is.
     */
    record RestoreOriginals(Role role, List<String> paths) implements NodeAction {
        public RestoreOriginals {
            paths = List.copyOf(paths);
        }

        public String describe() {
            return "restore the originals of " + String.join(", ", paths) + " on the " + role.label()
                    + " (files the operator created are removed)";
        }
    }

    /** Takes the lsyncd sync key out of the node's authorized_keys, leaving every other key. */
    record RemoveSyncKey(Role role) implements NodeAction {
        public String describe() {
            return "remove the sync key from root's authorized_keys on the " + role.label();
        }
    }

    /** Puts the lsyncd sync key into the node's authorized_keys, replacing an earlier sync key, keeping every other key. */
    record AddSyncKey(Role role, String keyLine) implements NodeAction {
        public String describe() {
            return "add the sync key to root's authorized_keys on the " + role.label();
        }
    }

    /**
     * A command started detached on the node (a Traefik upgrade or restart); its exit is read by later probes under
     * {@code jobId}.
     */
    record StartJob(Role role, String jobId, String command, String why) implements NodeAction {
        public String describe() {
            return "run '" + command + "' on the " + role.label() + " (" + why + ")";
        }
    }
}
