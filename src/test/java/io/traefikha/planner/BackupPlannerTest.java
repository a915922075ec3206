package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.BackupSpec;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.planner.BackupPlanner.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When the backup before the first change is taken, waited for, looked for after a crash, or not taken at all. */
class BackupPlannerTest {

    private static final Instant ASKED = Instant.parse("2026-12-05T14:03:20Z");
    private static final DurableState.Backup ASKED_ONLY = new DurableState.Backup("Vzdump", "proxmox", "local", ASKED, null,
            null, null);
    private static final DurableState.Backup STARTED = ASKED_ONLY.started("UPID:proxmox:0000AB01:00C0FFEE:6751B2C8:vzdump:110:root@pam:");
    private static final DurableState.Backup TAKEN = STARTED.taken("local:backup/vzdump-lxc-110-2026_12_05-14_03_20.tar.zst",
            ASKED.plusSeconds(40));

    static Stream<Arguments> table() {
        ContainerObservation running = primary(null);
        ContainerObservation backupLock = primary("backup");
        ContainerObservation snapshotLock = primary("snapshot");
        ContainerObservation missing = ContainerObservation.missing();
        BackupSpec vzdump = new BackupSpec();
        BackupSpec none = new BackupSpec();
        none.mode = BackupSpec.Mode.None;
        return Stream.of(
                // name, spec, record, primary, secondary ours, dry run, preflight blocked, stage
                Arguments.of("nothing yet: take it", vzdump, null, running, false, false, false, Stage.START),
                Arguments.of("taken: never again", vzdump, TAKEN, running, true, false, false, Stage.TAKEN),
                Arguments.of("taken, mode now None: still recorded", none, TAKEN, running, true, false, false, Stage.TAKEN),
                Arguments.of("mode None", none, null, running, false, false, false, Stage.NOT_WANTED),
                Arguments.of("pair made before backups existed", vzdump, null, running, true, false, false, Stage.PAIR_EXISTED),
                Arguments.of("primary missing", vzdump, null, missing, false, false, false, Stage.PRIMARY_MISSING),
                Arguments.of("dry run only reports", vzdump, null, running, false, true, false, Stage.DRY_RUN),
                Arguments.of("dry run with a task under way only reports", vzdump, STARTED, running, false, true, false,
                        Stage.DRY_RUN),
                Arguments.of("preflight failed: no vzdump", vzdump, null, running, false, false, true, Stage.BLOCKED),
                Arguments.of("primary locked by a snapshot: wait", vzdump, null, snapshotLock, false, false, false,
                        Stage.WAIT_LOCKED),
                Arguments.of("task id stored: wait for that task", vzdump, STARTED, backupLock, false, false, false,
                        Stage.AWAIT),
                Arguments.of("task id stored, preflight failed since: still wait for it", vzdump, STARTED, running, false,
                        false, true, Stage.AWAIT),
                Arguments.of("crashed before the task id was stored, vzdump running: wait", vzdump, ASKED_ONLY, backupLock,
                        false, false, false, Stage.WAIT_LOCKED),
                Arguments.of("crashed before the task id was stored, primary unlocked: look, then start", vzdump,
                        ASKED_ONLY, running, false, false, false, Stage.FIND_OR_START),
                Arguments.of("asked for, mode None since: what was asked is finished", none, ASKED_ONLY, running, false,
                        false, false, Stage.FIND_OR_START));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, BackupSpec spec, DurableState.Backup record, ContainerObservation primary,
            boolean secondaryOurs, boolean dryRun, boolean blocked, Stage expected) {
        assertThat(BackupPlanner.decide(spec, record, primary, secondaryOurs, dryRun, blocked)).isEqualTo(expected);
    }

    private static ContainerObservation primary(String lock) {
        return new ContainerObservation(true, "proxmox", true, lock, "traefik", null, true, Set.of(), null, "d1", List.of());
    }
}
