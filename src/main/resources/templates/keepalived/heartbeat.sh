#!/bin/sh
# Managed by traefik-ha-operator for TraefikHACluster {clusterName}.
# The check script runs it on every health check as: heartbeat.sh up|down [WHY]
{#if heartbeat}
# It pushes status=up|down and msg=<VRRP state>[: WHY] to this node's heartbeat URL (an Uptime Kuma push monitor):
# at once when the status changes, else at most every {heartbeatInterval}s. It needs neither the operator nor
# Kubernetes: if keepalived stops, the pushes stop and the push monitor alerts. The URL (it carries the monitor's token)
# comes from the root-only curl config, so it is neither in this world-readable script nor on curl's command line.
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
status="$1"
why="$2"
now=$(date +%s)
last=0
last_status=
[ -r {heartbeatStamp} ] && read -r last last_status < {heartbeatStamp}
case "$last" in ''|*[!0-9]*) last=0 ;; esac
if [ "$status" = "$last_status" ] && [ $((now - last)) -lt {heartbeatInterval} ]; then
    exit 0
fi
mkdir -p "$(dirname {heartbeatStamp})"
printf '%s %s\n' "$now" "$status" > {heartbeatStamp}
state=unknown
[ -r {stateFile} ] && read -r state _ < {stateFile}
msg="$state"
[ -n "$why" ] && msg="$state: $why"
# In the background: a slow push monitor must not hold up keepalived's check.
curl -fsS -m 5 -G --data-urlencode "status=$status" --data-urlencode "msg=$msg" --data-urlencode "ping=" \
    --config {heartbeatConfig} >/dev/null 2>&1 &
{#else}
# spec.heartbeat is not set: nothing is pushed.
{/if}
exit 0
