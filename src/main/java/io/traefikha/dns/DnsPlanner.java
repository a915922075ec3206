package io.traefikha.dns;

import io.traefikha.dns.DnsChange.Reason;
import io.traefikha.dns.DnsPlan.DnsConflict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The ownership and migration rules, as pure functions of what is observed and what was recorded:
 * <ul>
 * <li>a wanted name is changed only when it is missing, points at the primary, or at the VIP (possibly both); any other
 * answer is a conflict, left alone and reported, unless takeOverConflicts;</li>
 * <li>groups move in order, only while the cluster is Ready, each after the previous one has been live for the soak
 * time; a name of a group already live that drifted back is repaired while Ready, before the next group moves;</li>
 * <li>the soak counts only while the moved names answer through the VIP ({@link ServedEvidence}): a moved name that did
 * not answer at its last check starts the live group's soak again, and one not checked yet holds the next group;</li>
 * <li>a name that left the spec, and every owned name on rollback, gets back exactly what the registry says, but only
 * while it still answers the VIP we wrote; if someone changed it since, it is no longer ours and is left alone.</li>
 * </ul>
 */
public final class DnsPlanner {

    private DnsPlanner() {
    }

    /**
     * @param observed current answers of every wanted name and every registry name (missing key = no answers)
     * @param progress as returned in the previous plan's {@link DnsPlan#progress()}
     * @param ready whether the cluster is Ready (the VIP is served by a healthy MASTER)
     * @param evidence what the checks of the moved names through the VIP found
     */
    public static DnsPlan plan(MigrationSpec spec, Map<String, List<String>> observed, OwnershipRegistry registry,
            MigrationProgress progress, boolean ready, ServedEvidence evidence, Instant now) {
        List<DnsChange> changes = new ArrayList<>();
        List<DnsConflict> conflicts = new ArrayList<>();
        List<String> released = new ArrayList<>();
        Set<String> wanted = new HashSet<>(spec.names());
        String vip = spec.vipAddress();

        for (String name : registry.previousAnswers().keySet()) {
            if (!wanted.contains(name)) {
                giveBack(name, answers(observed, name), registry, vip, Reason.REVERT, changes, released);
            }
        }
        registry = without(registry, released);

        // Classify per group: settled groups are fully in place (conflicts count as settled: they are left alone).
        List<MigrationSpec.Group> groups = spec.groups();
        List<List<DnsChange>> movesPerGroup = new ArrayList<>();
        int inPlace = 0;
        int settledPrefix = -1;
        for (int g = 0; g < groups.size(); g++) {
            List<DnsChange> moves = new ArrayList<>();
            for (String name : groups.get(g).names()) {
                List<String> current = answers(observed, name);
                Set<String> set = new HashSet<>(current);
                if (set.equals(Set.of(vip))) {
                    inPlace++;
                } else if (pointsAtPrimaryOrVip(set, spec)) {
                    moves.add(new DnsChange(name, current, List.of(vip), Reason.MIGRATE, groups.get(g).name()));
                } else if (spec.takeOverConflicts()) {
                    moves.add(new DnsChange(name, current, List.of(vip), Reason.TAKE_OVER, groups.get(g).name()));
                } else {
                    conflicts.add(new DnsConflict(name, current));
                    if (registry.owns(name)) {
                        released.add(name); // we had moved it; someone pointed it elsewhere since
                        registry = registry.without(name);
                    }
                }
            }
            movesPerGroup.add(moves);
            if (moves.isEmpty() && settledPrefix == g - 1) {
                settledPrefix = g;
            }
        }

        // The live group never goes backwards because of drift: the stored one counts when it is further.
        int storedLive = indexOf(groups, progress.liveGroup());
        int live = Math.max(settledPrefix, storedLive);
        String liveGroup = live < 0 ? null : groups.get(live).name();
        List<String> moved = groups.subList(0, live + 1).stream().flatMap(g -> g.names().stream()).toList();
        List<String> heldBy = moved.stream().filter(evidence.notServed()::contains).toList();
        List<String> unchecked = moved.stream().filter(evidence.unchecked()::contains).toList();
        Instant liveSince = liveGroup == null ? null
                : liveGroup.equals(progress.liveGroup()) && progress.liveSince() != null && heldBy.isEmpty()
                        ? progress.liveSince() : now;

        int next = live + 1;
        String nextGroup = next < groups.size() ? groups.get(next).name() : null;
        Instant notBefore = nextGroup == null ? null : liveSince == null ? now : liveSince.plus(spec.soakTime());
        String waitingFor = null;
        List<DnsChange> repairs = movesPerGroup.subList(0, live + 1).stream().flatMap(List::stream).toList();
        if (!ready) {
            waitingFor = "the cluster to be Ready";
        } else if (!repairs.isEmpty()) {
            changes.addAll(repairs);
            waitingFor = nextGroup == null ? null : "records of live groups to be back at the VIP";
        } else if (nextGroup != null && !heldBy.isEmpty()) {
            waitingFor = String.join(", ", heldBy) + " to answer through the VIP (the soak of group " + liveGroup
                    + " starts again until they do)";
        } else if (nextGroup != null && !unchecked.isEmpty()) {
            waitingFor = String.join(", ", unchecked) + " to be checked through the VIP";
        } else if (nextGroup != null && now.isBefore(notBefore)) {
            waitingFor = "group " + liveGroup + " to soak until " + notBefore;
        } else if (nextGroup != null) {
            changes.addAll(movesPerGroup.get(next));
        }

        for (DnsChange change : changes) {
            if (change.reason() == Reason.MIGRATE || change.reason() == Reason.TAKE_OVER) {
                registry = registry.with(change.name(), change.from());
            }
        }
        return new DnsPlan(changes, conflicts, released, wanted.size(), inPlace, new MigrationProgress(liveGroup, liveSince),
                nextGroup, notBefore, waitingFor, heldBy, registry);
    }

    /**
     * Rollback of everything the operator owns (deletionPolicy Rollback/Delete): each owned name gets back its previous
     * answers if it still answers the VIP; nothing else is touched. Readiness and soak do not matter here.
     */
    public static DnsPlan rollback(OwnershipRegistry registry, Map<String, List<String>> observed, String vipAddress) {
        List<DnsChange> changes = new ArrayList<>();
        List<String> released = new ArrayList<>();
        for (String name : registry.previousAnswers().keySet()) {
            giveBack(name, answers(observed, name), registry, vipAddress, Reason.ROLLBACK, changes, released);
        }
        return new DnsPlan(changes, List.of(), released, 0, 0, MigrationProgress.NONE, null, null, null, List.of(),
                without(registry, released));
    }

    private static void giveBack(String name, List<String> current, OwnershipRegistry registry, String vip, Reason reason,
            List<DnsChange> changes, List<String> released) {
        List<String> previous = registry.previous(name);
        if (new HashSet<>(current).equals(Set.of(vip)) && !new HashSet<>(previous).equals(Set.of(vip))) {
            changes.add(new DnsChange(name, current, previous, reason, null));
        } else {
            released.add(name); // already back, or changed by someone else since: not ours any more
        }
    }

    /** Missing, the primary, the VIP, or both: the answers the operator may change. */
    private static boolean pointsAtPrimaryOrVip(Set<String> answers, MigrationSpec spec) {
        return Set.of(spec.primaryAddress(), spec.vipAddress()).containsAll(answers);
    }

    private static List<String> answers(Map<String, List<String>> observed, String name) {
        return Objects.requireNonNullElse(observed.get(name), List.of());
    }

    private static int indexOf(List<MigrationSpec.Group> groups, String name) {
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static OwnershipRegistry without(OwnershipRegistry registry, List<String> names) {
        for (String name : names) {
            registry = registry.without(name);
        }
        return registry;
    }
}
