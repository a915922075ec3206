package io.traefikha.keepalived;

import java.util.List;

/** Where the operator's keepalived files live on a node; the probe reads the state file. */
public final class KeepalivedPaths {

    private static final String SYSTEMD_UNITS = "/etc/systemd/system";
    public static final String CONFIG = "/etc/keepalived/keepalived.conf";
    public static final String CHECK_SCRIPT = "/usr/local/bin/traefik-ha-check.sh";
    public static final String NOTIFY_SCRIPT = "/usr/local/bin/traefik-ha-notify.sh";
    /** curl's config with the notify webhook's URL, root-only: the URL may carry a token. */
    public static final String NOTIFY_WEBHOOK = "/etc/keepalived/traefik-ha-notify-webhook.curl";
    /** Pushes the node's heartbeat (spec.heartbeat); run by the check script, rate-limited by its stamp file. */
    public static final String HEARTBEAT_SCRIPT = "/usr/local/bin/traefik-ha-heartbeat.sh";
    /** curl's config with the node's heartbeat URL, root-only: the URL carries the push monitor's token. */
    public static final String HEARTBEAT_CONFIG = "/etc/keepalived/traefik-ha-heartbeat.curl";
    /** When the heartbeat was last pushed, and with which status. */
    public static final String HEARTBEAT_STAMP = "/run/traefik-ha/heartbeat-last";
    /** The CA certificate the check and the probe verify Traefik's https certificate with (healthCheck.tls.caCertificate). */
    public static final String HEALTH_CA = "/etc/keepalived/traefik-ha-health-ca.pem";
    /** Under /run on purpose: after a reboot no stale state survives until keepalived reports again. */
    public static final String STATE_FILE = "/run/traefik-ha/vrrp-state";
    /**
     * 1 while Traefik's unit is stopped, 0 (or no file) while it runs: written by {@link #TRAEFIK_HOOK} from Traefik's
     * systemd drop-in, watched by keepalived (track_file). Directly under /run: keepalived ignores a tracked file whose
     * directory does not exist when it starts, and /run always exists; after a reboot no stale value survives.
     */
    public static final String TRAEFIK_STOPPED = "/run/traefik-ha-traefik-stopped";
    /** What Traefik's drop-in runs after the unit started and after it stopped. */
    public static final String TRAEFIK_HOOK = "/usr/local/bin/traefik-ha-traefik-hook.sh";
    public static final String STATE_LOG = "/var/log/keepalived-state.log";
    public static final String CHECK_LOG = "/var/log/keepalived-checks.log";
    /** Rotation of the two logs above, as the seed's runbook configured it. */
    public static final String LOGROTATE = "/etc/logrotate.d/traefik-ha-keepalived";
    /**
     * What keepalived reads when it starts or reloads: its configuration, and the check and notify scripts it names
     * (vetted then, run afresh later; see {@link io.traefikha.domain.Uptake}).
     */
    public static final List<String> LOADED = List.of(CONFIG, CHECK_SCRIPT, NOTIFY_SCRIPT);
    /** Every file the operator writes for keepalived, on both nodes (the CA only when the spec has one). */
    public static final List<String> WRITTEN = List.of(CHECK_SCRIPT, NOTIFY_SCRIPT, NOTIFY_WEBHOOK, CONFIG, LOGROTATE, HEALTH_CA,
            HEARTBEAT_SCRIPT, HEARTBEAT_CONFIG, TRAEFIK_HOOK);

    private KeepalivedPaths() {
    }

    /** The operator's drop-in on Traefik's systemd unit (spec.traefik.serviceName, with or without ".service"). */
    public static String traefikDropIn(String serviceName) {
        return SYSTEMD_UNITS + "/" + traefikUnit(serviceName) + ".d/traefik-ha.conf";
    }

    public static String traefikUnit(String serviceName) {
        return serviceName.endsWith(".service") ? serviceName : serviceName + ".service";
    }

    /** Whether systemd reads PATH only at daemon-reload: a unit file or a drop-in of the administrator's. */
    public static boolean isSystemdUnitFile(String path) {
        return path.startsWith(SYSTEMD_UNITS + "/");
    }
}
