package io.traefikha.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.HeartbeatSpec;
import io.traefikha.api.v1alpha1.Patterns;
import io.traefikha.api.v1alpha1.ProxmoxTlsSpec;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.dns.AdGuardHomeProvider;
import io.traefikha.dns.DnsProvider;
import io.traefikha.dns.ProviderException;
import io.traefikha.dns.Rfc2136Provider;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.Role;
import io.traefikha.gateway.NameChecker;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.gateway.ProxmoxGateway;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.keepalived.VrrpPassword;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.planner.DurableState;
import io.traefikha.node.NodeGateways;
import io.traefikha.node.SshKey;
import io.traefikha.proxmox.ProxmoxApiGateway;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.ProxmoxMemory;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.http.TlsTrust;
import io.traefikha.step.ClusterConnections;
import io.traefikha.step.DrillJournal;
import io.traefikha.step.DurableStateStore;
import io.traefikha.step.EntryPointProber;
import io.traefikha.step.VipProber;
import io.traefikha.sync.SyncKeyPair;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens what one reconcile of one resource talks to, with that resource's Secrets. Everything is opened on first use,
 * so a reconcile that stops at Proxmox never reads the SSH key, and a missing Secret is reported by the step that
 * needed it.
 */
@ApplicationScoped
public class ClusterConnectionsFactory {

    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final NodeGateways nodeGateways;
    private final Duration taskTimeout;
    private final VipProbers vipProbers;
    private final NameCheckers nameCheckers;
    private final int fullReadEvery;
    /** What each resource's reconciles saw of Proxmox, by UID and generation (a spec change starts afresh). */
    private final Map<String, ProxmoxMemory> proxmoxMemories = new ConcurrentHashMap<>();

    public ClusterConnectionsFactory(KubernetesClient client, NodeGateways nodeGateways, VipProbers vipProbers,
            NameCheckers nameCheckers,
            @ConfigProperty(name = "traefikha.proxmox.task-timeout", defaultValue = "30m") Duration taskTimeout,
            @ConfigProperty(name = "traefikha.proxmox.full-read-every", defaultValue = ""
                    + ProxmoxApiGateway.DEFAULT_FULL_READ_EVERY) int fullReadEvery) {
        this.client = client;
        this.nodeGateways = nodeGateways;
        this.vipProbers = vipProbers;
        this.nameCheckers = nameCheckers;
        this.taskTimeout = taskTimeout;
        this.fullReadEvery = fullReadEvery;
    }

    /**
     * The memory for this resource's spec. A resource being deleted gets a fresh one (its rollback reads everything)
     * and its entry is dropped.
     */
    private ProxmoxMemory proxmoxMemory(TraefikHACluster resource) {
        String uid = resource.getMetadata().getUid();
        if (uid == null || resource.isMarkedForDeletion()) {
            if (uid != null) {
                proxmoxMemories.remove(uid);
            }
            return new ProxmoxMemory(fullReadEvery);
        }
        String key = uid + "@" + resource.getMetadata().getGeneration();
        proxmoxMemories.keySet().removeIf(k -> k.startsWith(uid + "@") && !k.equals(key));
        return proxmoxMemories.computeIfAbsent(key, k -> new ProxmoxMemory(fullReadEvery));
    }

    public ClusterConnections open(TraefikHACluster resource) {
        return new Live(resource, new SecretReader(client, resource));
    }

    private final class Live implements ClusterConnections {
        private final TraefikHACluster resource;
        private final TraefikHAClusterSpec spec;
        private final SecretReader secrets;
        private ProxmoxGateway proxmox;
        private NodeGateway nodes;
        private final Map<Optional<Role>, Map<Role, List<ManagedFile>>> files = new java.util.HashMap<>();
        private DnsProvider dnsProvider;
        private DurableStateStore durableState;

        Live(TraefikHACluster resource, SecretReader secrets) {
            this.resource = resource;
            this.spec = resource.getSpec();
            this.secrets = secrets;
        }

        @Override
        public ProxmoxGateway proxmox() {
            if (proxmox == null) {
                String field = "spec.proxmox.credentialsSecretRef";
                ProxmoxConnection connection = ProxmoxConnection.of(spec.proxmox.url,
                        secrets.required(spec.proxmox.credentialsSecretRef, "tokenId", field),
                        secrets.required(spec.proxmox.credentialsSecretRef, "tokenSecret", field), trust(spec.proxmox.tls, "spec.proxmox.tls"))
                        .withRetries(2, Duration.ofMillis(500)).withRequestTimeout(Duration.ofSeconds(30));
                ProxmoxClient api = ProxmoxClient.create(connection);
                proxmox = new ProxmoxApiGateway(api, TaskWaiter.withDefaults(api), spec, taskTimeout,
                        proxmoxMemory(resource));
            }
            return proxmox;
        }

        private TlsTrust trust(ProxmoxTlsSpec tls, String field) {
            if (tls == null) {
                return TlsTrust.systemDefault();
            }
            if (tls.caSecretRef != null) {
                return TlsTrust.caPem(secrets.required(tls.caSecretRef, "ca.crt", field + ".caSecretRef"));
            }
            if (tls.fingerprint != null) {
                return TlsTrust.fingerprint(tls.fingerprint);
            }
            return tls.insecureSkipVerify ? TlsTrust.insecure() : TlsTrust.systemDefault();
        }

        @Override
        public NodeGateway nodes() {
            if (nodes == null) {
                String field = "spec.ssh.secretRef";
                SshKey key = new SshKey(secrets.required(spec.ssh.secretRef, "privateKey", field).getBytes(StandardCharsets.UTF_8),
                        secrets.optional(spec.ssh.secretRef, "passphrase", field).map(p -> p.getBytes(StandardCharsets.UTF_8))
                                .orElse(null));
                Optional<String> knownHosts = secrets.optional(spec.ssh.secretRef, "knownHosts", field);
                // The pins come from the state object, never from status: a status edit cannot change one.
                DurableState pins = durableState().load();
                nodes = nodeGateways.open(spec, key, HostKeyPolicy.of(spec.roles(), knownHosts, pins.hostKeys(), pins.pendingHostKeys()));
            }
            return nodes;
        }

        @Override
        public Map<Role, List<ManagedFile>> renderedFiles(Optional<Role> pinnedHolder) {
            return files.computeIfAbsent(pinnedHolder,
                    pin -> KeepalivedNodeFiles.render(spec, resource.getMetadata().getName(), vrrpPassword(), pin,
                            notifyWebhookUrl(), heartbeatUrls()));
        }

        /** Each node's heartbeat URL from spec.heartbeat's Secret (checked here, never shown); none without spec.heartbeat. */
        private Map<Role, String> heartbeatUrls() {
            if (spec.heartbeat == null) {
                return Map.of();
            }
            String field = "spec.heartbeat.secretRef";
            Map<Role, String> urls = new java.util.TreeMap<>();
            for (Role role : spec.roles()) {
                String key = HeartbeatSpec.key(role);
                String url = secrets.required(spec.heartbeat.secretRef, key, field).strip();
                if (!url.matches(Patterns.HTTP_URL) || url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new ExternalSystemException("secret", "Secret " + resource.getMetadata().getNamespace() + "/"
                            + spec.heartbeat.secretRef.name + " (" + field + "): key '" + key + "' is not an http(s) URL");
                }
                urls.put(role, url);
            }
            return urls;
        }

        /** The notify webhook's URL: in the spec, or in its Secret's key 'url' (checked here, never shown). */
        private String notifyWebhookUrl() {
            SecretRef ref = spec.vip.notifyWebhookSecretRef;
            if (ref == null) {
                return spec.vip.notifyWebhookUrl;
            }
            String url = secrets.required(ref, "url", "spec.vip.notifyWebhookSecretRef").strip();
            if (!url.matches(Patterns.HTTP_URL)) {
                throw new ExternalSystemException("secret", "Secret " + resource.getMetadata().getNamespace() + "/"
                        + ref.name + " (spec.vip.notifyWebhookSecretRef): key 'url' is not an http(s) URL");
            }
            return url;
        }

        /** VRRPv3 has no authentication; with v2 the password comes from the spec's Secret or one the operator owns. */
        private String vrrpPassword() {
            if (spec.vip.version != 2) {
                return null;
            }
            if (spec.vip.authSecretRef != null) {
                return secrets.required(spec.vip.authSecretRef, "password", "spec.vip.authSecretRef");
            }
            return secrets.ownedValue(resource.getMetadata().getName() + "-vrrp", "password", VrrpPassword::generate);
        }

        @Override
        public Optional<DnsProvider> dns() {
            DnsSpec dns = spec.dns;
            if (dns == null || dns.provider == DnsSpec.DnsProvider.None) {
                return Optional.empty();
            }
            if (dnsProvider == null) {
                dnsProvider = switch (dns.provider) {
                    case AdGuardHome -> new AdGuardHomeProvider(dns.adguard.url,
                            secrets.required(dns.adguard.credentialsSecretRef, "username", "spec.dns.adguard.credentialsSecretRef"),
                            secrets.required(dns.adguard.credentialsSecretRef, "password", "spec.dns.adguard.credentialsSecretRef"),
                            DNS_TIMEOUT, trust(dns.adguard.tls, "spec.dns.adguard.tls"));
                    case RFC2136 -> rfc2136(dns);
                    case None -> throw new IllegalStateException("provider None has no server");
                };
            }
            return Optional.of(dnsProvider);
        }

        /** The RFC 2136 server; a key or a server name it cannot use is reported naming the field, like a missing key. */
        private DnsProvider rfc2136(DnsSpec dns) {
            String field = "spec.dns.rfc2136.tsigSecretRef";
            SecretRef ref = dns.rfc2136.tsigSecretRef;
            Rfc2136Provider.TsigKey key = new Rfc2136Provider.TsigKey(secrets.required(ref, "keyName", field),
                    secrets.required(ref, "algorithm", field), secrets.required(ref, "secret", field));
            try {
                return new Rfc2136Provider(dns.rfc2136.server, dns.rfc2136.port, dns.rfc2136.zone, key, dns.ttl, DNS_TIMEOUT);
            } catch (IllegalArgumentException e) {
                throw new ExternalSystemException("secret", "Secret " + resource.getMetadata().getNamespace() + "/" + ref.name
                        + " (" + field + "): " + e.getMessage(), e);
            } catch (ProviderException e) {
                throw new ExternalSystemException("dns", e.getMessage() + " (spec.dns.rfc2136.server)", e);
            }
        }

        @Override
        public SyncKeyPair syncKey() {
            String privateKey = secrets.ownedValue(resource.getMetadata().getName() + "-sync-key", "privateKey",
                    () -> new String(SyncKeyPair.generate().privateKey(), StandardCharsets.US_ASCII));
            try {
                return SyncKeyPair.fromPrivateKey(privateKey.getBytes(StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw new ExternalSystemException("secret", "Secret " + resource.getMetadata().getNamespace() + "/"
                        + resource.getMetadata().getName() + "-sync-key: " + e.getMessage()
                        + " (delete the Secret and the operator generates a new key)", e);
            }
        }

        @Override
        public DnsRegistry dnsRegistry() {
            return new DnsRegistryStore(client, resource);
        }

        @Override
        public VipProber vipProber() {
            return vipProbers.open(spec);
        }

        @Override
        public EntryPointProber entryPointProber() {
            return vipProbers.entryPoints(spec);
        }

        @Override
        public NameChecker nameChecker() {
            return nameCheckers.open(spec);
        }

        @Override
        public DrillJournal drillJournal() {
            return new StatusDrillJournal(client, resource);
        }

        @Override
        public DurableStateStore durableState() {
            if (durableState == null) {
                durableState = new ConfigMapStateStore(client, resource);
            }
            return durableState;
        }

        @Override
        public List<DnsServer> dnsReplicas() {
            DnsSpec dns = spec.dns;
            if (dns == null || dns.provider != DnsSpec.DnsProvider.AdGuardHome || dns.adguard.replicas.isEmpty()) {
                return List.of();
            }
            String field = "spec.dns.adguard.credentialsSecretRef";
            String username = secrets.required(dns.adguard.credentialsSecretRef, "username", field);
            String password = secrets.required(dns.adguard.credentialsSecretRef, "password", field);
            TlsTrust trust = trust(dns.adguard.tls, "spec.dns.adguard.tls");
            return dns.adguard.replicas.stream().map(url -> new DnsServer(new AdGuardHomeProvider(url, username, password,
                    DNS_TIMEOUT, trust), DnsRegistryStore.forReplica(client, resource, url)))
                    .toList();
        }

        @Override
        public String redact(String text) {
            return secrets.redact(text);
        }

        @Override
        public void close() {
            if (nodes != null) {
                nodes.close();
            }
        }
    }
}
