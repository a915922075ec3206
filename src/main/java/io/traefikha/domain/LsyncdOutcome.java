package io.traefikha.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * What one round of keeping lsyncd in place did.
 *
 * @param changedFiles    files written
 * @param lsyncdRestarted whether lsyncd was (re)started
 */
public record LsyncdOutcome(List<String> changedFiles, boolean lsyncdRestarted) {

    public LsyncdOutcome {
        changedFiles = List.copyOf(changedFiles);
    }

    /** lsyncd was found stopped with its files already in place (crashed, or stopped by hand) and was started. */
    public boolean repaired() {
        return lsyncdRestarted && changedFiles.isEmpty();
    }

    /** This outcome followed by a later one. */
    public LsyncdOutcome and(LsyncdOutcome later) {
        List<String> files = new ArrayList<>(changedFiles);
        files.addAll(later.changedFiles);
        return new LsyncdOutcome(files, lsyncdRestarted || later.lsyncdRestarted);
    }
}
