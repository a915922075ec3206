package io.traefikha.reconciler;

import io.traefikha.planner.DurableState;
import io.traefikha.step.DurableStateStore;

/** The resource's state object in memory, for tests that run the chain without Kubernetes. */
public final class MemoryStateStore implements DurableStateStore {

    private DurableState stored = DurableState.EMPTY;
    private int saves;
    private boolean released;

    @Override
    public DurableState load() {
        return stored;
    }

    @Override
    public void save(DurableState state) {
        stored = state;
        saves++;
    }

    @Override
    public void release() {
        released = true;
    }

    public DurableState stored() {
        return stored;
    }

    public int saves() {
        return saves;
    }

    public boolean released() {
        return released;
    }
}
