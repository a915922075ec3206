package io.traefikha.dns;

import io.traefikha.dns.DnsChange.Reason;
import io.traefikha.dns.DnsPlan.AaaaProgress;
import io.traefikha.dns.DnsPlan.DnsConflict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * while it still answers the VIP we wrote; if someone changed it since, it is no longer ours and is left alone;</li>
 * <li>with an IPv6 VIP, AAAA follows A name by name: a wanted name whose A answer is at the VIP (or moves there in this
 * plan) gets the IPv6 VIP in AAAA by the same rules (missing, the primary's IPv6 address or the IPv6 VIP may change,
 * anything else is a conflict), and an owned AAAA answer is given back once its name's A answer is no longer at the
 * VIP, the name left the spec or the IPv6 VIP left (or changed in) the spec. The groups and the soak are A's.</li>
 * </ul>
 */
public final class DnsPlanner {

    private DnsPlanner() {
    }

    /**
     * @param observed current A answers of every wanted name and every registry name (missing key = no answers)
     * @param observedAaaa current AAAA answers (IPv6 addresses canonical) of every wanted name and every name the registry
     *        owns in AAAA; unused without an IPv6 VIP and owned AAAA answers
     * @param progress as returned in the previous plan's {@link DnsPlan#progress()}
     * @param ready whether the cluster is Ready (the VIP is served by a healthy MASTER)
     * @param evidence what the checks of the moved names through the VIP found
     */
    public static DnsPlan plan(MigrationSpec spec, Map<String, List<String>> observed, Map<String, List<String>> observedAaaa,
            OwnershipRegistry registry, MigrationProgress progress, boolean ready, ServedEvidence evidence, Instant now) {
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
        AaaaOutcome aaaa = planAaaa(spec, atVipAfter(spec, observed, changes), observedAaaa, registry, ready);
        changes.addAll(aaaa.changes());
        if (waitingFor == null) {
            waitingFor = aaaa.waitingFor();
        }
        return new DnsPlan(changes, conflicts, released, wanted.size(), inPlace, new MigrationProgress(liveGroup, liveSince),
                nextGroup, notBefore, waitingFor, heldBy, aaaa.registry(), aaaa.progress());
    }

    /** What the AAAA half of a plan does. */
    private record AaaaOutcome(List<DnsChange> changes, OwnershipRegistry registry, AaaaProgress progress,
            String waitingFor) {
    }

    /** The wanted names, in group order, whose A answer is exactly the VIP once this plan's A changes are made. */
    private static List<String> atVipAfter(MigrationSpec spec, Map<String, List<String>> observed, List<DnsChange> changes) {
        Map<String, List<String>> after = new HashMap<>(observed);
        changes.forEach(change -> after.put(change.name(), change.to()));
        return spec.names().stream().filter(name -> new HashSet<>(answers(after, name)).equals(Set.of(spec.vipAddress())))
                .toList();
    }

    /**
     * AAAA follows A: the names at the VIP answer the IPv6 VIP in AAAA, moved while Ready by the same ownership rules;
     * every other owned AAAA answer is given back. While answers of an earlier IPv6 VIP are still owned, only those
     * are given back, so the registry never holds answers of two IPv6 VIPs.
     */
    private static AaaaOutcome planAaaa(MigrationSpec spec, List<String> atVip, Map<String, List<String>> observed,
            OwnershipRegistry registry, boolean ready) {
        String vip = spec.vip6Address();
        String written = registry.aaaaVip();
        List<DnsChange> changes = new ArrayList<>();
        Set<String> givenBack = new HashSet<>();
        for (String name : registry.previousAaaaAnswers().keySet()) {
            if (vip == null || !vip.equals(written) || !atVip.contains(name)) {
                if (giveBackAaaa(name, answers(observed, name), registry, Reason.REVERT, changes)) {
                    givenBack.add(name);
                } else {
                    registry = registry.withoutAaaa(name);
                }
            }
        }
        if (vip == null) {
            return new AaaaOutcome(changes, registry, null, null);
        }
        Set<String> movable = new HashSet<>(spec.primaryAddresses6());
        movable.add(vip);
        boolean earlierVipOwned = registry.aaaaVip() != null && !vip.equals(registry.aaaaVip());
        List<DnsChange> moves = new ArrayList<>();
        List<DnsConflict> conflicts = new ArrayList<>();
        int inPlace = 0;
        for (String name : atVip) {
            List<String> current = answers(observed, name);
            Set<String> set = new HashSet<>(current);
            if (set.equals(Set.of(vip))) {
                inPlace++;
            } else if (givenBack.contains(name)) {
                continue; // answers the earlier IPv6 VIP, ours until given back
            } else if (movable.containsAll(set)) {
                moves.add(new DnsChange(RecordType.AAAA, name, current, List.of(vip), Reason.MIGRATE, spec.groupOf(name)));
            } else if (spec.takeOverConflicts()) {
                moves.add(new DnsChange(RecordType.AAAA, name, current, List.of(vip), Reason.TAKE_OVER, spec.groupOf(name)));
            } else {
                conflicts.add(new DnsConflict(name, current));
                registry = registry.withoutAaaa(name); // if we had moved it, someone pointed it elsewhere since
            }
        }
        String waitingFor = null;
        if (earlierVipOwned) {
            waitingFor = moves.isEmpty() ? null
                    : "the AAAA answers of the earlier IPv6 VIP " + registry.aaaaVip() + " to be given back";
        } else if (ready) { // else the A half says what it waits for
            for (DnsChange move : moves) {
                registry = registry.withAaaa(move.name(), move.from(), vip);
            }
            changes.addAll(moves);
        }
        return new AaaaOutcome(changes, registry, new AaaaProgress(vip, atVip.size(), inPlace, conflicts), waitingFor);
    }

    /** Plans giving a name's AAAA answers back when it still answers the IPv6 VIP we wrote; false when it is not ours. */
    private static boolean giveBackAaaa(String name, List<String> current, OwnershipRegistry registry, Reason reason,
            List<DnsChange> changes) {
        String written = registry.aaaaVip();
        List<String> previous = registry.previousAaaaAnswers().get(name);
        if (new HashSet<>(current).equals(Set.of(written)) && !new HashSet<>(previous).equals(Set.of(written))) {
            changes.add(new DnsChange(RecordType.AAAA, name, current, previous, reason, null));
            return true;
        }
        return false;
    }

    /**
     * Rollback of everything the operator owns (deletionPolicy Rollback/Delete): each owned name gets back its previous
     * answers (A and AAAA) if it still answers the VIP (the IPv6 VIP the registry recorded); nothing else is touched.
     * Readiness and soak do not matter here.
     */
    public static DnsPlan rollback(OwnershipRegistry registry, Map<String, List<String>> observed,
            Map<String, List<String>> observedAaaa, String vipAddress) {
        List<DnsChange> changes = new ArrayList<>();
        List<String> released = new ArrayList<>();
        for (String name : registry.previousAnswers().keySet()) {
            giveBack(name, answers(observed, name), registry, vipAddress, Reason.ROLLBACK, changes, released);
        }
        OwnershipRegistry after = without(registry, released);
        for (String name : registry.previousAaaaAnswers().keySet()) {
            if (!giveBackAaaa(name, answers(observedAaaa, name), registry, Reason.ROLLBACK, changes)) {
                after = after.withoutAaaa(name);
            }
        }
        return new DnsPlan(changes, List.of(), released, 0, 0, MigrationProgress.NONE, null, null, null, List.of(), after,
                null);
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
