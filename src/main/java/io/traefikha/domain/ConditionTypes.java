package io.traefikha.domain;


/** The condition types the operator writes; README "Status" explains each. */
public final class ConditionTypes {

    public static final String VALID = "Valid";
    public static final String READY = "Ready";
    public static final String PROXMOX_REACHABLE = "ProxmoxReachable";
    /** The checks before any change passed (False: provisioning is blocked, the message says how to fix it). */
    public static final String PREFLIGHT_PASSED = "PreflightPassed";
    /** The backup of the primary taken before the first change (or not wanted, spec.backup.mode None). */
    public static final String BACKUP_TAKEN = "BackupTaken";
    public static final String SECONDARY_PROVISIONED = "SecondaryProvisioned";
    public static final String KEEPALIVED_CONFIGURED = "KeepalivedConfigured";
    public static final String VIP_HEALTHY = "VIPHealthy";
    public static final String FIREWALL_READY = "FirewallReady";
    public static final String CONFIG_IN_SYNC = "ConfigInSync";
    /**
     * Both nodes' Traefik have loaded the same HTTP routers with the same status (Unknown while they cannot be compared;
     * False makes Ready False: a secondary missing routes would serve them wrongly after a failover).
     */
    public static final String ROUTES_MATCH = "RoutesMatch";
    /**
     * The certificates the moved DNS names present through the VIP would be accepted by a client (the message names the
     * soonest expiry). A warning: never makes Ready False, as the primary served the same certificates before the move.
     */
    public static final String CERTIFICATES_VALID = "CertificatesValid";
    /** Lsyncd mode: lsyncd runs on the primary with the rendered configuration. */
    public static final String LSYNCD_RUNNING = "LsyncdRunning";
    public static final String DNS_READY = "DNSReady";
    public static final String DNS_CONFLICT = "DNSConflict";
    public static final String CONFLICT = "Conflict";
    public static final String SPLIT_BRAIN = "SplitBrain";
    /**
     * With an IPv6 VIP: it is held by the node that holds the IPv4 VIP (False when the families are split or the IPv6 VIP
     * is held by no node while the IPv4 one is: then not Ready and DNS holds; Unknown when neither is held).
     */
    public static final String IPV6_VIP_HELD = "IPv6VIPHeld";
    /** True while the operator owes the primary a start after stopping it for a clone (cloneStrategy StopPrimary). */
    public static final String PRIMARY_STOPPED_FOR_CLONE = "PrimaryStoppedForClone";

    /** True while spec.maintenance is declared (the reason says whether the VIP moved, is moving or was refused). */
    public static final String MAINTENANCE = "Maintenance";
    /**
     * A warning: True while the spec has the operator send credentials over plain http or skip certificate
     * verification (the message names the fields). Never makes Ready False.
     */
    public static final String INSECURE_TRANSPORT = "InsecureTransport";
    /**
     * A warning: True while the primary and the secondary are (or are about to be) on the same Proxmox node, so one host
     * failure takes both down. Allowed, and never makes Ready False.
     */
    public static final String SINGLE_HOST = "SingleHost";
    /** True while a rolling upgrade or restart waits, runs or has failed; False when none or it succeeded. */
    public static final String ROLLOUT = "Rollout";

    private ConditionTypes() {
    }
}
