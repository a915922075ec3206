package io.traefikha.domain;

import java.util.List;
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
 * @param routerCount        routers Traefik has loaded, -1 when its API did not answer
 * @param traefikVersion     the version Traefik reports, or null
 * @param job                the last detached command the operator started on the node ({@link Job}), or null
 * @param loadedHashes       SHA-256 of the files keepalived and lsyncd read when the operator last started, restarted or
 *                           reloaded them, by path, as the node recorded it (empty when there is no record): beside
 *                           {@code fileHashes}, it tells what is written from what the daemons run
 * @param configHash         the synced configuration tree's hash (spec.sync.paths), or null when it could not be listed
 * @param loadedRouters      the HTTP routers Traefik has loaded by name and status, or null when its API did not list them
 * @param traefikProblem     which part of the health check fails ("its Traefik does not answer its ping"), or null when
 *                           Traefik is healthy or the probe did not say
 * @param ipv6Addresses      the global IPv6 addresses on the VIP's interface (canonical, without prefix length), or null
 *                           when the probe did not report them
 */
public record NodeObservation(Role role, boolean reachable, String problem, boolean keepalivedInstalled,
        boolean keepalivedActive, boolean keepalivedEnabled, boolean traefikHealthy, boolean vipPresent, String vrrpState,
        Map<String, String> fileHashes, int routerCount, String traefikVersion, Job job, Map<String, String> loadedHashes,
        String configHash, LoadedRouters loadedRouters, String traefikProblem, List<String> ipv6Addresses) {

    public NodeObservation {
        fileHashes = Map.copyOf(fileHashes);
        loadedHashes = Map.copyOf(loadedHashes);
        ipv6Addresses = ipv6Addresses == null ? null : List.copyOf(ipv6Addresses);
    }

    /** Without the IPv6 addresses (not reported). */
    public NodeObservation(Role role, boolean reachable, String problem, boolean keepalivedInstalled,
            boolean keepalivedActive, boolean keepalivedEnabled, boolean traefikHealthy, boolean vipPresent, String vrrpState,
            Map<String, String> fileHashes, int routerCount, String traefikVersion, Job job, Map<String, String> loadedHashes,
            String configHash, LoadedRouters loadedRouters, String traefikProblem) {
        this(role, reachable, problem, keepalivedInstalled, keepalivedActive, keepalivedEnabled, traefikHealthy, vipPresent,
                vrrpState, fileHashes, routerCount, traefikVersion, job, loadedHashes, configHash, loadedRouters,
                traefikProblem, null);
    }

    /** Without saying which part of an unhealthy Traefik's check fails. */
    public NodeObservation(Role role, boolean reachable, String problem, boolean keepalivedInstalled,
            boolean keepalivedActive, boolean keepalivedEnabled, boolean traefikHealthy, boolean vipPresent, String vrrpState,
            Map<String, String> fileHashes, int routerCount, String traefikVersion, Job job, Map<String, String> loadedHashes,
            String configHash, LoadedRouters loadedRouters) {
        this(role, reachable, problem, keepalivedInstalled, keepalivedActive, keepalivedEnabled, traefikHealthy, vipPresent,
                vrrpState, fileHashes, routerCount, traefikVersion, job, loadedHashes, configHash, loadedRouters, null);
    }

    /** Without the synced tree's hash and the routers' names: the routes are not compared. */
    public NodeObservation(Role role, boolean reachable, String problem, boolean keepalivedInstalled,
            boolean keepalivedActive, boolean keepalivedEnabled, boolean traefikHealthy, boolean vipPresent, String vrrpState,
            Map<String, String> fileHashes, int routerCount, String traefikVersion, Job job, Map<String, String> loadedHashes) {
        this(role, reachable, problem, keepalivedInstalled, keepalivedActive, keepalivedEnabled, traefikHealthy, vipPresent,
                vrrpState, fileHashes, routerCount, traefikVersion, job, loadedHashes, null, null);
    }

    /** Daemons running what is on disk (their last load read the files as they are now). */
    public NodeObservation(Role role, boolean reachable, String problem, boolean keepalivedInstalled,
            boolean keepalivedActive, boolean keepalivedEnabled, boolean traefikHealthy, boolean vipPresent, String vrrpState,
            Map<String, String> fileHashes, int routerCount, String traefikVersion, Job job) {
        this(role, reachable, problem, keepalivedInstalled, keepalivedActive, keepalivedEnabled, traefikHealthy, vipPresent,
                vrrpState, fileHashes, routerCount, traefikVersion, job, fileHashes);
    }

    /** Without the Traefik facts a rolling operation needs (they are unknown); daemons running what is on disk. */
    public NodeObservation(Role role, boolean reachable, String problem, boolean keepalivedInstalled,
            boolean keepalivedActive, boolean keepalivedEnabled, boolean traefikHealthy, boolean vipPresent, String vrrpState,
            Map<String, String> fileHashes) {
        this(role, reachable, problem, keepalivedInstalled, keepalivedActive, keepalivedEnabled, traefikHealthy, vipPresent,
                vrrpState, fileHashes, -1, null, null);
    }

    public static NodeObservation unreachable(Role role, String problem) {
        return new NodeObservation(role, false, problem, false, false, false, false, false, null, Map.of(), -1, null, null,
                Map.of(), null, null, null, null);
    }

    /**
     * A command the operator started detached on the node (an upgrade, a restart), as the node reports it.
     *
     * @param id       the identifier the operator gave it
     * @param exitCode its exit code, or null while it runs
     */
    public record Job(String id, Integer exitCode) {

        /** Reads the probe's "ID running" or "ID exit=N"; null for anything else. */
        public static Job parse(String line) {
            if (line == null) {
                return null;
            }
            String[] parts = line.strip().split(" ", 2);
            if (parts.length != 2) {
                return null;
            }
            if (parts[1].equals("running")) {
                return new Job(parts[0], null);
            }
            return parts[1].matches("exit=\\d{1,3}") ? new Job(parts[0], Integer.parseInt(parts[1].substring(5))) : null;
        }
    }

    /** Holds the VIP as keepalived's MASTER, with a healthy Traefik behind it. */
    public boolean servesVip() {
        return reachable && vipPresent && master() && traefikHealthy;
    }

    /** Could take the VIP now: keepalived runs and is not in FAULT, Traefik is healthy. */
    public boolean canTakeVip() {
        return reachable && keepalivedActive && traefikHealthy && !"FAULT".equals(vrrpState);
    }

    /** Why {@link #canTakeVip()} is false, for messages. */
    public String whyNotReady() {
        if (!reachable) {
            return "it cannot be probed: " + problem;
        }
        if (!keepalivedActive) {
            return "its keepalived is not running";
        }
        if (!traefikHealthy) {
            return traefikProblem != null ? traefikProblem : "its Traefik is not healthy";
        }
        return "its keepalived is in FAULT";
    }

    public boolean master() {
        return "MASTER".equals(vrrpState);
    }
}
