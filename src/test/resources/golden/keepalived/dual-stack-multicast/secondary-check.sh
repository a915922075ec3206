#!/bin/sh
# Managed by traefik-ha-operator for TraefikHACluster homelab. keepalived runs it every 1s;
# exit 0 means this node may hold the VIP.
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

fail() {
    echo "$(date '+%Y-%m-%d %H:%M:%S') $1" >> /var/log/keepalived-checks.log
    exit 1
}

systemctl is-active --quiet -- 'traefik' || fail "traefik service not active"
curl -fsS -m 1 -o /dev/null 'http://127.0.0.1:8080/ping' 2>/dev/null || fail "traefik ping not answering"
routers=$(curl -fsS -m 1 'http://127.0.0.1:8080/api/rawdata' 2>/dev/null | jq '.routers // [] | length' 2>/dev/null)
[ "$routers" -ge 1 ] 2>/dev/null || fail "traefik has $routers routers loaded, needs at least 1"
exit 0
