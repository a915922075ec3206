-- Rendered by traefik-ha-operator for TraefikHACluster {clusterName}; changes here are overwritten.
-- Replicates the synced paths to {peers} with rsync over SSH, {delay} s after the last change.
-- Traefik is never signalled: its file provider picks up dynamic files, and the operator restarts Traefik for
-- static changes (on the node without the VIP first).

settings {
    logfile = "/var/log/lsyncd/lsyncd.log",
    statusFile = "/var/log/lsyncd/lsyncd.status",
    statusInterval = 10,
    -- keep running while the secondary is unreachable; the operator's hash check reports the lag
    insist = true,
}
{#for sync in syncs}

sync {
    default.rsync,
    source = {sync.source},
    target = {sync.target},
    delay = {delay},
    delete = true,
    exclude = { {excludes} },
    rsync = {
        archive = true,
        -- the destination on rsync's command line, where the secondary's forced command can check it
        protect_args = false,
        rsh = {sync.rsh},
        -- lsyncd leaves excluded names out of its events, but sends a new directory whole: rsync must leave them out too
        _extra = { {rsyncExcludes} },
    },
}
{/for}
