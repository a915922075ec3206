#!/bin/sh
# Managed by traefik-ha-operator for TraefikHACluster {clusterName}.
# keepalived calls it on every VRRP state change as: notify.sh INSTANCE NAME STATE PRIORITY
# It records the state for the operator's probe and logs it. It deliberately leaves Traefik alone: Traefik 3.x has no
# signal-driven configuration reload and SIGHUP terminates it, so a "reload" here could kill the proxy taking the VIP.
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
state="$3"
priority="$4"

mkdir -p "$(dirname {stateFile})"
printf '%s %s\n' "$state" "$(date +%s)" > {stateFile}.tmp && mv -f {stateFile}.tmp {stateFile}
echo "[$(date '+%Y-%m-%d %H:%M:%S')] $(hostname) transitioned to $state (priority $priority)" >> {stateLog}
{#if webhook}
{|body=$(printf '{"cluster":"%s","host":"%s","state":"%s","priority":"%s"}' |}{clusterNameQuoted}{| "$(hostname)" "$state" "$priority")|}
# In the background: a slow webhook must not delay keepalived's next state change. The URL (it may carry a token)
# comes from the root-only config file, so it is neither in this world-readable script nor on curl's command line.
curl -fsS -m 5 -X POST -H 'Content-Type: application/json' -d "$body" --config {webhookConfig} >/dev/null 2>&1 &
{/if}
exit 0
