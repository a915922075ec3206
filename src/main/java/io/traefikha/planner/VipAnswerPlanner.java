package io.traefikha.planner;

import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.EntryPoint;
import io.traefikha.domain.Finding;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import io.traefikha.domain.VipAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * VIPHealthy from what a client sees: the nodes' judgement ({@link NodePlanner}: who holds the VIP, whose Traefik
 * passes its check) beside what the VIP's entry points answered this round. Pure.
 */
public final class VipAnswerPlanner {

    /** Held, but an entry point gave no HTTP answer. */
    public static final String NOT_ANSWERING = "NotAnswering";
    public static final String NO_HOLDER = "NoHolder";

    private VipAnswerPlanner() {
    }

    /** One entry point and what it answered. */
    public record Checked(EntryPoint entryPoint, VipAnswer answer) {
    }

    /**
     * The entry points to request every period: http on vip.httpPort, and https on vip.httpsPort (unless 0) with the SNI
     * of the first name the spec moves to the VIP (none when it moves none: Traefik then presents its default
     * certificate, which still tells whether the entry point answers).
     */
    public static List<EntryPoint> entryPoints(TraefikHAClusterSpec spec) {
        List<EntryPoint> entryPoints = new ArrayList<>();
        entryPoints.add(EntryPoint.http(spec.vip.httpPort));
        if (spec.vip.httpsPort != 0) {
            entryPoints.add(EntryPoint.https(spec.vip.httpsPort, firstMovedName(spec.dns)));
        }
        return List.copyOf(entryPoints);
    }

    private static String firstMovedName(DnsSpec dns) {
        if (dns == null || dns.provider == DnsSpec.DnsProvider.None) {
            return null;
        }
        return Stream.concat(dns.phases.stream().flatMap(phase -> phase.records.stream()), dns.records.stream())
                .findFirst().map(record -> DnsSpec.qualify(record, dns.domain)).orElse(null);
    }

    /**
     * @param nodesFinding the VIPHealthy the nodes' probes gave ({@link NodePlanner})
     * @param holders      the nodes that hold the VIP
     * @param probes       this round's probes, for why no node holds it
     * @param checked      what each entry point answered this round
     */
    public static Finding judge(Finding nodesFinding, List<Role> holders, Map<Role, NodeObservation> probes,
            List<Checked> checked) {
        List<String> silent = checked.stream().filter(c -> !c.answer().answered())
                .map(c -> c.entryPoint().label() + ": " + c.answer().describe()).toList();
        if (ConditionTypes.SPLIT_BRAIN.equals(nodesFinding.reason())) {
            return nodesFinding;
        }
        if (holders.isEmpty()) {
            boolean somethingAnswers = checked.stream().anyMatch(c -> c.answer().answered());
            return new Finding(ConditionTypes.VIP_HEALTHY, false, NO_HOLDER, "no node holds the VIP: " + whyNoHolder(probes)
                    + (somethingAnswers ? "; yet something answers on the VIP (another host holding the address?)" : ""));
        }
        if (!silent.isEmpty()) {
            return new Finding(ConditionTypes.VIP_HEALTHY, false, NOT_ANSWERING, "the " + holders.get(0).label()
                    + " holds the VIP but it does not answer clients: " + String.join("; ", silent));
        }
        return nodesFinding;
    }

    /**
     * Why no node holds the VIP, each node's first obstacle in the order keepalived meets them: the node cannot be
     * probed, its keepalived does not run, the health check fails (which part of it), FAULT, or it is simply BACKUP.
     */
    static String whyNoHolder(Map<Role, NodeObservation> probes) {
        List<String> reasons = new ArrayList<>();
        boolean checkFailsOnBoth = true;
        Set<Role> roles = new TreeSet<>(Role.pair());
        roles.addAll(probes.keySet());
        for (Role role : roles) {
            NodeObservation node = probes.get(role);
            if (node == null) {
                reasons.add("the " + role.label() + " was not probed");
                checkFailsOnBoth = false;
                continue;
            }
            checkFailsOnBoth &= node.reachable() && node.keepalivedActive() && !node.traefikHealthy();
            reasons.add("the " + role.label() + ": " + (node.canTakeVip()
                    ? "keepalived is " + (node.vrrpState() == null ? "in no known VRRP state" : node.vrrpState())
                    + " although it could take the VIP"
                    : node.whyNotReady()));
        }
        return (checkFailsOnBoth ? "the health check fails on " + Role.everyNode(roles.size()) + " (" : "(")
                + String.join("; ", reasons) + ")";
    }
}
