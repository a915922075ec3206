package io.traefikha.step;

import io.traefikha.domain.ExternalSystemException;
import io.traefikha.planner.DurableState;

/**
 * Where the {@link DurableState} of one resource is kept: an object the resource owns, outside status, so that an
 * operator crash before the status is written, a status edit or a re-created resource loses none of it. Every write is
 * acknowledged before {@link #save} returns, so a fact saved before an action is sent is there for whoever reconciles
 * next. Failures are {@link ExternalSystemException}s of system "state".
 */
public interface DurableStateStore {

    /** The state as stored (read once per reconcile); {@link DurableState#EMPTY} when nothing was ever stored. */
    DurableState load();

    /** Stores the state, replacing what was there. */
    void save(DurableState state);

    /**
     * Lets the state outlive the resource (its finalizer is done): a resource created again under the same name finds
     * the pinned host keys and keeps trusting the same nodes.
     */
    void release();
}
