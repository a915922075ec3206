package io.traefikha.demo;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One console line saying where the resource stands: phase, VIP holder, DNS names moved (what AdGuard Home answers),
 * and the conditions (True ones by type, the others with their reason). The demo prints it whenever it changes.
 */
public final class ProgressLine {

    private ProgressLine() {
    }

    /**
     * @param namesAtVip how many of AdGuard Home's rewrites answer with the VIP
     * @param names how many rewrites AdGuard Home holds
     */
    public static String of(TraefikHACluster resource, int namesAtVip, int names) {
        if (resource == null) {
            return "no TraefikHACluster " + DemoHomelab.NAMESPACE + "/traefik (deleted?)";
        }
        TraefikHAClusterStatus status = resource.getStatus();
        if (status == null || status.phase == null && status.conditions.isEmpty()) {
            return "phase -        (the operator has not looked at it yet)";
        }
        String phase = status.phase == null ? "-" : status.phase.name();
        String master = status.vip == null || status.vip.holder == null ? "-" : status.vip.holder;
        String dns = status.dns == null ? "" : " (live phase " + (status.dns.livePhase == null ? "-" : status.dns.livePhase)
                + (status.dns.nextPhase == null ? "" : ", next " + status.dns.nextPhase) + ")";
        String conditions = status.conditions.stream()
                .map(c -> Condition.TRUE.equals(c.status) ? c.type : c.type + "=" + c.status + "(" + c.reason + ")")
                .collect(Collectors.joining(" "));
        return String.format("phase %-12s master %-9s DNS %d/%d names at the VIP%s | %s", phase, master, namesAtVip,
                names, dns, conditions);
    }

    /**
     * The facts worth a line of their own when they appear: each preflight check's result and the backup taken before
     * the first change (the demo prints each once).
     */
    public static List<String> milestones(TraefikHACluster resource) {
        TraefikHAClusterStatus status = resource == null ? null : resource.getStatus();
        List<String> lines = new ArrayList<>();
        if (status == null) {
            return lines;
        }
        if (status.preflight != null) {
            status.preflight.forEach(check -> lines.add("preflight " + check.name + " " + check.result + ": " + check.message));
        }
        if (status.backup != null && status.backup.takenAt != null) {
            lines.add("backup of the primary before the first change: " + status.backup.volid + " on node "
                    + status.backup.node + " (task " + status.backup.upid + ")");
        }
        return lines;
    }
}
