package io.traefikha.step;

import io.traefikha.dns.DnsMigration;
import io.traefikha.dns.DnsProvider;
import io.traefikha.dns.OwnershipRegistry;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NameChecker;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.gateway.ProxmoxGateway;
import io.traefikha.sync.SyncKeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconcile of one resource talks to, opened with that resource's credentials and closed at the end
 * (SSH sessions are reused within a reconcile, never across).
 */
public interface ClusterConnections extends AutoCloseable {

    ProxmoxGateway proxmox();

    NodeGateway nodes();

    /** The DNS server of spec.dns, or empty with provider None. */
    Optional<DnsProvider> dns();

    /** Where the DNS ownership registry is kept. */
    DnsRegistry dnsRegistry();

    /** Further servers that must hold the same records as {@link #dns()} (spec.dns.adguard.replicas), each with its registry. */
    default List<DnsServer> dnsReplicas() {
        return List.of();
    }

    /** A DNS server and the ownership registry of what the operator changed on it. */
    record DnsServer(DnsProvider provider, DnsRegistry registry) {
    }

    /** Loading and saving the DNS ownership registry (write-ahead, before every DNS change). */
    interface DnsRegistry extends DnsMigration.RegistryStore {
        OwnershipRegistry load();
    }

    /** HTTP to Traefik on the VIP, for a failover drill's 10 ms probe. */
    VipProber vipProber();

    /** Requests to Traefik's entry points on the VIP, once each every period ({@link VipCheckStep}). */
    EntryPointProber entryPointProber();

    /** HTTPS to Traefik on the VIP with a moved name's SNI and Host header, for the per-name checks. */
    NameChecker nameChecker();

    /** Where a drill is recorded as Running before a service is stopped. */
    DrillJournal drillJournal();

    /** Where the facts that must survive a crash are kept (the ConfigMap {@code <name>-state}). */
    DurableStateStore durableState();

    /** The files keepalived needs on each node, rendered from the spec and the VRRP password. */
    default Map<Role, List<ManagedFile>> renderedFiles() {
        return renderedFiles(Optional.empty());
    }

    /** The same, with the VIP pinned to one node during a handover ({@link KeepalivedNodeFiles#render}). */
    Map<Role, List<ManagedFile>> renderedFiles(Optional<Role> pinnedHolder);

    /**
     * lsyncd's key for rsync to the secondary, generated once and kept in a Secret this resource owns
     * ({@code <name>-sync-key}); never logged, never in status.
     */
    SyncKeyPair syncKey();

    /** The text with every Secret value read through these connections replaced, for messages nobody vetted. */
    default String redact(String text) {
        return text;
    }

    @Override
    void close();
}
