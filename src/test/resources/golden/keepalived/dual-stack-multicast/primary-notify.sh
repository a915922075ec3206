#!/bin/sh
# Managed by traefik-ha-operator for TraefikHACluster homelab.
# keepalived calls it on every VRRP state change as: notify.sh INSTANCE NAME STATE PRIORITY
# It records the state for the operator's probe and logs it. It deliberately leaves Traefik alone: Traefik 3.x has no
# signal-driven configuration reload and SIGHUP terminates it, so a "reload" here could kill the proxy taking the VIP.
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
state="$3"
priority="$4"

mkdir -p "$(dirname /run/traefik-ha/vrrp-state)"
printf '%s %s\n' "$state" "$(date +%s)" > /run/traefik-ha/vrrp-state.tmp && mv -f /run/traefik-ha/vrrp-state.tmp /run/traefik-ha/vrrp-state
echo "[$(date '+%Y-%m-%d %H:%M:%S')] $(hostname) transitioned to $state (priority $priority)" >> /var/log/keepalived-state.log
exit 0
