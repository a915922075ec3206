package io.traefikha.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * What one round of keeping lsyncd in place did.
 *
 * @param changedFiles    files written, each path once (the same file written on several secondaries is one entry)
 * @param lsyncdRestarted whether lsyncd was (re)started
 * @param notApplied      lsyncd was found running an older configuration than the one written (the operator stopped
 *                        between writing and restarting, or the restart failed) and was restarted for it
 */
public record LsyncdOutcome(List<String> changedFiles, boolean lsyncdRestarted, boolean notApplied) {

    public LsyncdOutcome {
        changedFiles = changedFiles.stream().distinct().toList();
    }

    /** Found with its files and configuration in place. */
    public LsyncdOutcome(List<String> changedFiles, boolean lsyncdRestarted) {
        this(changedFiles, lsyncdRestarted, false);
    }

    /** lsyncd was found stopped with its files already in place (crashed, or stopped by hand) and was started. */
    public boolean repaired() {
        return lsyncdRestarted && changedFiles.isEmpty() && !notApplied;
    }

    /** This outcome followed by a later one. */
    public LsyncdOutcome and(LsyncdOutcome later) {
        List<String> files = new ArrayList<>(changedFiles);
        files.addAll(later.changedFiles);
        return new LsyncdOutcome(files, lsyncdRestarted || later.lsyncdRestarted, notApplied || later.notApplied);
    }
}
