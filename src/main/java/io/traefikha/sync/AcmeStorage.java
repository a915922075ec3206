package io.traefikha.sync;

import java.util.Set;

/**
 * Traefik's ACME storage files ({@code acme.json}: account key, certificates and their keys) within the synced paths.
 *
 * <p>They are synced one way, primary to secondary, like everything else, so the secondary holds valid certificates the
 * moment it takes the VIP: Traefik CE has no shared ACME store, and two instances renewing independently against one
 * account overwrite each other's results. The secondary's own Traefik also writes its storage (it runs the same
 * resolvers); that difference is expected, overwritten by the next push and never reported as drift.
 *
 * <p><b>Certificates renewed while the secondary is MASTER.</b> ACME challenges (HTTP-01 and TLS-ALPN-01) reach whoever
 * holds the VIP, so during a failover only the secondary can renew; its renewals go to its own {@code acme.json}. They
 * survive only while nothing is synced, i.e. while the primary container is unreachable. As soon as it answers (even
 * with its Traefik still down) the primary's file is copied over the secondary's again, by lsyncd on its next change or
 * by the operator's next push: certificates the secondary renewed are discarded (the authority still counts them against its rate limits). Nothing expires because of it: Traefik renews 30
 * days before expiry, so the primary's copies are still valid, and the primary renews them itself as soon as it holds
 * the VIP again. A failover longer than those 30 days would need the secondary's file copied back by hand before sync
 * resumes; the operator never copies secondary to primary.
 */
public final class AcmeStorage {

    /** Traefik's default storage name, and the name the seed's resolvers use. */
    static final String DEFAULT_FILE_NAME = "acme.json";

    private final Set<String> configuredPaths;

    /** @param configuredPaths absolute storage paths named by the static configuration's certificate resolvers */
    public AcmeStorage(Set<String> configuredPaths) {
        this.configuredPaths = Set.copyOf(configuredPaths);
    }

    public boolean contains(String path) {
        return path.endsWith("/" + DEFAULT_FILE_NAME) || configuredPaths.contains(path);
    }
}
