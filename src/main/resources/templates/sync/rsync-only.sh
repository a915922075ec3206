#!/bin/sh
# Rendered by traefik-ha-operator for TraefikHACluster {clusterName}; changes here are overwritten.
# Forced command of the sync key (authorized_keys): the primary's lsyncd may run rsync in receiving server mode into
# the synced paths, and nothing else: no shell, no sending (reading) mode, no other options, no other destinations.
set -f
cmd="$SSH_ORIGINAL_COMMAND"
refuse() { echo "traefik-ha-rsync-only: refused: $1" >&2; exit 1; }

case "$cmd" in
    *[!A-Za-z0-9./_=\ -]*) refuse "unexpected characters" ;;
    "rsync --server "*) ;;
    *) refuse "not an rsync server command" ;;
esac
set -- $cmd
shift 2
while [ $# -gt 2 ]; do
    case "$1" in
        --delete|--delete-after|--delete-during|--delete-delay|--ignore-errors|--force|--numeric-ids) ;;
        --*) refuse "option $1" ;;
        -*[!A-Za-z.]*) refuse "option $1" ;;
        -*) ;;
        *) refuse "argument $1" ;;
    esac
    shift
done
[ "$1" = . ] || refuse "source $1"
case "$2" in
    *..*) refuse "destination $2" ;;
{#for path in paths}
    {path.exact}|{path.withSlash}) ;;
{/for}
    *) refuse "destination $2" ;;
esac
exec $cmd
