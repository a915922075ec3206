package io.traefikha.reconciler.plan;

import io.traefikha.keepalived.Role;
import java.util.Map;

/**
 * One container as its single probe over SSH showed it this reconcile.
 *
 * @param role               which container
 * @param reachable          the probe answered; when false only {@code problem} is meaningful
 * @param problem            why the node could not be probed (container stopped, SSH refused, host key changed...)
 * @param keepalivedInstalled the keepalived package is installed
 * @param keepalivedActive   the keepalived service is running
 * @param keepalivedEnabled  the keepalived service starts at boot
 * @param traefikHealthy     Traefik is active, answers its ping and has at least the minimum routers loaded
 * @param vipPresent         the VIP is configured on the node's interface
 * @param vrrpState          the VRRP state the notify script last wrote (MASTER, BACKUP, FAULT, STOP) or null
 * @param fileHashes         SHA-256 of each file the operator manages on the node (absent = file missing)
 */
public record NodeObservation(Role role, boolean reachable, String problem, boolean keepalivedInstalled,
        boolean keepalivedActive, boolean keepalivedEnabled, boolean traefikHealthy, boolean vipPresent, String vrrpState,
        Map<String, String> fileHashes) {

    public static NodeObservation unreachable(Role role, String problem) {
        return new NodeObservation(role, false, problem, false, false, false, false, false, null, Map.of());
    }

    public boolean master() {
        return "MASTER".equals(vrrpState);
    }
}
