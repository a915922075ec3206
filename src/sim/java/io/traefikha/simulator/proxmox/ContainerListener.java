package io.traefikha.simulator.proxmox;

/**
 * Told about container lifecycle changes, e.g. to back each container with a network-namespace host. Called on
 * the simulator's task thread (never the HTTP event loop), in order. Task-driven events (CREATED, STARTED,
 * STOPPED, MIGRATED, DESTROYED) are delivered before the task reports its end; an exception becomes a warning in
 * the task log and the task ends "WARNINGS: n".
 */
@FunctionalInterface
public interface ContainerListener {

    void onEvent(ContainerEvent event) throws Exception;
}
