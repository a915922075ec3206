#!/bin/sh
# Managed by traefik-ha-operator for TraefikHACluster {clusterName}. keepalived runs it every {checkInterval}s;
# exit 0 means this node may hold the VIP.
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

fail() {
    echo "$(date '+%Y-%m-%d %H:%M:%S') $1" >> {checkLog}
{#if heartbeat}
    {heartbeatScript} down "$1"
{/if}
    exit 1
}

systemctl is-active --quiet -- {traefikService} || fail "traefik service not active"
curl -fsS -m {curlTimeout} -o /dev/null {pingCurl} 2>/dev/null || fail "traefik ping not answering"
{#if minRouters}
routers=$(curl -fsS -m {curlTimeout} {apiCurl} 2>/dev/null | jq '.routers // [] | length' 2>/dev/null)
[ "$routers" -ge {minRouters} ] 2>/dev/null || fail "traefik has $routers routers loaded, needs at least {minRouters}"
{/if}
{#if heartbeat}
{heartbeatScript} up
{/if}
exit 0
