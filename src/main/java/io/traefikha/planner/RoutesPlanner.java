package io.traefikha.planner;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.domain.LoadedRouters;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Whether both nodes' Traefik serve the same routes: the HTTP routers each has loaded, by name and status. Files in
 * sync say nothing about what Traefik made of them (the secondary did not reload, a provider failed on it), and a
 * secondary missing routes would serve them wrongly after a failover. The routers are compared only when both nodes
 * were probed with a healthy Traefik; a difference counts only while the synced files are the same and were already the
 * same at the last look, so a copy Traefik has not yet loaded is not taken for a failure.
 */
public final class RoutesPlanner {

    public static final String MATCH = "Match";
    public static final String DIFFER = "Differ";
    public static final String NOT_PROBED = "NotProbed";
    public static final String TRAEFIK_UNHEALTHY = "TraefikUnhealthy";
    public static final String NOT_LISTED = "NotListed";
    public static final String FILES_DIFFER = "FilesDiffer";
    public static final String FILES_UNKNOWN = "FilesUnknown";
    public static final String FILES_CHANGED = "FilesChanged";
    /** How many routers a message names; the rest are counted. */
    static final int NAMED_AT_MOST = 10;

    private RoutesPlanner() {
    }

    /** The outcome, in the terms of the RoutesMatch condition. */
    public enum Verdict {
        /** The same routers with the same status on both nodes. */
        SAME(Condition.TRUE),
        /** Different routers while the synced files are the same and settled. */
        DIFFERENT(Condition.FALSE),
        /** Not compared, or different while the files differ or just changed: the message says why. */
        CANNOT_TELL(Condition.UNKNOWN);

        private final String conditionStatus;

        Verdict(String conditionStatus) {
            this.conditionStatus = conditionStatus;
        }

        public String conditionStatus() {
            return conditionStatus;
        }
    }

    public record Judgement(Verdict verdict, String reason, String message) {
    }

    /**
     * Each secondary against the primary; the first one that differs or cannot be compared is what is reported.
     *
     * @param probes              this round's probes of every node
     * @param previousConfigHashes the synced tree's hash of each node at the last look (status.nodes[].configHash), where
     *                            known
     */
    public static Judgement judge(Map<Role, NodeObservation> probes, Map<Role, String> previousConfigHashes) {
        Set<Role> roles = new TreeSet<>(Role.pair());
        roles.addAll(probes.keySet());
        for (Role role : roles) {
            NodeObservation node = probes.get(role);
            if (node == null || !node.reachable()) {
                return cannotTell(NOT_PROBED, "cannot compare the routers: the " + role.label() + " cannot be probed"
                        + (node == null ? "" : ": " + node.problem()));
            }
            if (!node.traefikHealthy()) {
                return cannotTell(TRAEFIK_UNHEALTHY, "cannot compare the routers: the " + role.label()
                        + "'s Traefik is not healthy (see status.nodes)");
            }
            if (node.loadedRouters() == null) {
                return cannotTell(NOT_LISTED, "cannot compare the routers: the " + role.label() + "'s Traefik API"
                        + " (spec.healthCheck.apiUrl) did not list them");
            }
        }
        NodeObservation primary = probes.get(Role.PRIMARY);
        for (Role role : roles) {
            if (role != Role.PRIMARY) {
                Judgement judgement = judge(primary, probes.get(role), previousConfigHashes);
                if (judgement.verdict() != Verdict.SAME) {
                    return judgement;
                }
            }
        }
        LoadedRouters routers = primary.loadedRouters();
        return new Judgement(Verdict.SAME, MATCH, Role.everyNode(roles.size()) + " have loaded the same "
                + routers.count() + " routers (sha256 "
                + routers.sha256().substring(0, 12) + ")");
    }

    /** One secondary against the primary, both probed with their routers listed. */
    private static Judgement judge(NodeObservation primary, NodeObservation secondary,
            Map<Role, String> previousConfigHashes) {
        LoadedRouters primaryRouters = primary.loadedRouters();
        LoadedRouters secondaryRouters = secondary.loadedRouters();
        String other = secondary.role().label();
        if (primaryRouters.sameAs(secondaryRouters)) {
            return new Judgement(Verdict.SAME, MATCH, "the same routers");
        }
        String difference = difference(primaryRouters, secondaryRouters, other);
        for (NodeObservation node : List.of(primary, secondary)) {
            if (node.configHash() == null) {
                return cannotTell(FILES_UNKNOWN, "the routers differ, but the synced files (spec.sync.paths) could not be"
                        + " listed on the " + node.role().label() + ", so a copy not yet loaded cannot be told from a"
                        + " failure: " + difference);
            }
        }
        if (!primary.configHash().equals(secondary.configHash())) {
            return cannotTell(FILES_DIFFER, "the routers differ, but so do the synced files (spec.sync.paths): compared"
                    + " again once the config sync has made them the same: " + difference);
        }
        boolean settled = Objects.equals(previousConfigHashes.get(Role.PRIMARY), primary.configHash())
                && Objects.equals(previousConfigHashes.get(secondary.role()), secondary.configHash());
        if (!settled) {
            return cannotTell(FILES_CHANGED, "the routers differ, but the synced files changed since the last look and"
                    + " Traefik may still be loading them: compared again at the next look: " + difference);
        }
        return new Judgement(Verdict.DIFFERENT, DIFFER, "the synced files are the same but the routers Traefik has"
                + " loaded differ (a node did not reload, or a provider failed on it); after a failover the " + other
                + " would serve its own: " + difference);
    }

    private static Judgement cannotTell(String reason, String message) {
        return new Judgement(Verdict.CANNOT_TELL, reason, message);
    }

    /**
     * What differs, named from the routers both nodes listed: a list cut at {@link LoadedRouters#LISTED_AT_MOST} shows
     * only the names up to its last, so beyond that nothing is named.
     */
    static String difference(LoadedRouters primary, LoadedRouters secondary, String other) {
        String horizon = lastListedOfIncomplete(primary, secondary);
        List<String> onlyPrimary = new ArrayList<>();
        List<String> onlySecondary = new ArrayList<>();
        List<String> otherStatus = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(primary.listed().keySet());
        names.addAll(secondary.listed().keySet());
        for (String name : horizon == null ? names : names.headSet(horizon, true)) {
            String onPrimary = primary.listed().get(name);
            String onSecondary = secondary.listed().get(name);
            if (onSecondary == null) {
                onlyPrimary.add(name);
            } else if (onPrimary == null) {
                onlySecondary.add(name);
            } else if (!onPrimary.equals(onSecondary)) {
                otherStatus.add(name + " (primary " + onPrimary + ", " + other + " " + onSecondary + ")");
            }
        }
        List<String> parts = new ArrayList<>();
        int room = describe(parts, NAMED_AT_MOST, "the " + other + " lacks ", onlyPrimary);
        room = describe(parts, room, "the primary lacks ", onlySecondary);
        describe(parts, room, "status differs: ", otherStatus);
        String counts = " (" + primary.count() + " routers on the primary, " + secondary.count() + " on the " + other + ")";
        if (parts.isEmpty()) {
            return "the difference lies beyond the first " + LoadedRouters.LISTED_AT_MOST + " routers a node lists" + counts;
        }
        return String.join("; ", parts) + counts;
    }

    /** The name up to which both lists are known ("" when a cut list is empty), or null when both are complete. */
    private static String lastListedOfIncomplete(LoadedRouters primary, LoadedRouters secondary) {
        String horizon = null;
        for (LoadedRouters routers : List.of(primary, secondary)) {
            SortedMap<String, String> listed = routers.listed();
            String known = listed.isEmpty() ? "" : listed.lastKey();
            if (!routers.complete() && (horizon == null || known.compareTo(horizon) < 0)) {
                horizon = known;
            }
        }
        return horizon;
    }

    /**
     * Adds "label a, b" naming as many as there is room for, and how many more there are.
     *
     * @return the room left for names
     */
    private static int describe(List<String> parts, int room, String label, List<String> items) {
        if (items.isEmpty()) {
            return room;
        }
        List<String> shown = items.subList(0, Math.min(room, items.size()));
        int more = items.size() - shown.size();
        String rest = more == 0 ? "" : shown.isEmpty() ? more + (more == 1 ? " router" : " routers") : " and " + more + " more";
        parts.add(label + String.join(", ", shown) + rest);
        return room - shown.size();
    }
}
