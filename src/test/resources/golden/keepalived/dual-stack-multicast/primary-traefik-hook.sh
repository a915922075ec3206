#!/bin/sh
# Managed by traefik-ha-operator for TraefikHACluster homelab. Local changes are overwritten.
# systemd runs it from the operator's drop-in on traefik.service: "stopped" once the unit's processes are gone (a crash,
# a kill, an OOM kill or a stop), "started" after it started. keepalived watches the file below with inotify
# (track_file): a non-zero value takes this node's claim on the VIP away at once, no polling; 0 or no file gives it back.
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

mark() {
    printf '%s\n' "$1" > /run/traefik-ha-traefik-stopped.tmp && mv -f /run/traefik-ha-traefik-stopped.tmp /run/traefik-ha-traefik-stopped
}

case "$1" in
    stopped)
        mark 1
        echo "$(date '+%Y-%m-%d %H:%M:%S') traefik unit stopped: $SERVICE_RESULT $EXIT_CODE $EXIT_STATUS" >> /var/log/keepalived-checks.log
        ;;
    started)
        # Cleared only once Traefik answers (at most 10s), so the VIP does not come back before Traefik serves.
        give_up=$(($(date +%s) + 10))
        until curl -fsS -m 1 -o /dev/null 'http://127.0.0.1:8080/ping' 2>/dev/null || [ "$(date +%s)" -ge "$give_up" ]; do
            sleep 0.1
        done
        mark 0
        ;;
esac
exit 0
