package io.traefikha.sync;

/** {@code status.sync.state}. */
public enum SyncState {
    /** Both trees are equal. */
    InSync,
    /** They differ, and the difference is on its way: lsyncd within its delay, a push in progress, or ACME storage. */
    Syncing,
    /** They differ beyond the delay, or the secondary was changed behind the primary's back; healed by a push. */
    Drifted,
    /**
     * Something of the primary's cannot reach the secondary: the secondary lacks space for a file, a synced root is a
     * symlink, or a write failed. Everything else is copied; condition ConfigInSync says what and where.
     */
    Blocked,
    /** A secondary did not answer this round: its files were not compared (the others' were). */
    Unreachable,
    /** {@code sync.mode: Off}. */
    Off
}
