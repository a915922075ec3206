#!/bin/sh
# Rendered by traefik-ha-operator for TraefikHACluster {clusterName}; changes here are overwritten.
# Forced command of the sync key (authorized_keys): the primary's lsyncd may run rsync in receiving server mode into
# the synced paths, and nothing else: no shell, no sending (reading) mode, no other options, no other destinations.
# lsyncd's default.rsync with archive, delete and protect_args off makes the primary's rsync run exactly
#   rsync --server -logDtpre.iLsfxCIvu --delete [--force] --ignore-errors . <synced path>/
# (rsync 3.1 to 3.5). Only -logDtpr are options (archive mode); after the 'e' come the protocol version and the
# client's capability flags. Anything else (-K keeping directory symlinks, -L, --temp-dir, --backup-dir...) could
# write outside the synced paths, so it is refused.
set -f
cmd="$SSH_ORIGINAL_COMMAND"
refuse() { echo "traefik-ha-rsync-only: refused: $1" >&2; exit 1; }

case "$cmd" in
    *[!A-Za-z0-9./_=\ -]*) refuse "unexpected characters" ;;
esac
set -- $cmd
[ "$1 $2" = "rsync --server" ] || refuse "not an rsync server command"
shift 2

{|case "$1" in
    --*|*=*) refuse "option $1" ;;
    -*e*) letters="${1%%e*}" flags="${1#*e}" ;;
    *) refuse "option letters $1" ;;
esac
if [ "$letters" != -logDtpr ]; then
    extra=$(printf %s "$letters" | tr -d 'logDtpr-')
    refuse "option ${extra:+-$extra in }$1 (lsyncd sends -logDtpr)"
fi
# the value of -e: "." (or a pre-release's "32.1") and the capability letters of rsync 3.1 to 3.5
case "$flags" in
    *.*) ;;
    *) refuse "protocol flags e$flags" ;;
esac
case "${flags%%.*}/${flags#*.}" in
    *[!0-9]*/*|*/*[!0-9iLsfxCIvu]*) refuse "protocol flags e$flags" ;;
esac|}
shift

while [ $# -gt 2 ]; do
    case "$1" in
        --delete|--force|--ignore-errors) ;;
        -*) refuse "option $1" ;;
        *) refuse "argument $1" ;;
    esac
    shift
done
[ $# -eq 2 ] || refuse "no destination"
[ "$1" = . ] || refuse "source $1"
case "$2" in
    *..*) refuse "destination $2" ;;
{#for path in paths}
    {path.exact}|{path.withSlash}) ;;
{/for}
    *) refuse "destination $2" ;;
esac
# a synced path that is a symlink here would have rsync write wherever it points
{|[ -L "${2%/}" ] && refuse "destination $2 is a symlink"|}
exec $cmd
