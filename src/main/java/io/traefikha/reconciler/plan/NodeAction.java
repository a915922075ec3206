package io.traefikha.reconciler.plan;

import io.traefikha.keepalived.Role;

/** One change inside a container, done over SSH. Each describes itself for status.plannedActions and Events. */
public sealed interface NodeAction {

    Role role();

    String describe();

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
        public String describe() {
            return "start " + service + " on the " + role.label();
        }
    }

    record ReloadService(Role role, String service) implements NodeAction {
        public String describe() {
            return "reload " + service + " on the " + role.label() + " (its configuration changed)";
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
        public String describe() {
            return "restart " + service + " on the " + role.label() + " (" + why + ")";
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
