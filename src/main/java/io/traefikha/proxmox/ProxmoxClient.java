package io.traefikha.proxmox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import io.traefikha.http.RestClients;

/**
 * {@link ProxmoxApi} over HTTPS with an API token, through the {@link ProxmoxRestApi} Quarkus REST Client, built at run
 * time with the connection's own trust (CA, pinned fingerprint or explicit insecure, see {@link ClientTls}) and shared
 * with every connection to the same endpoint ({@link RestClients}). Proxmox puts the error's first line in the HTTP
 * reason phrase, so answers are read as a {@code Response}. Calls are blocking; the client needs the running Quarkus
 * application (the REST Client proxy is generated at build time), which tests get with {@code @QuarkusTest}.
 *
 * <p>GET requests are retried on 5xx/59x and connection failures with exponential backoff; POST, PUT and DELETE
 * are never retried, since Proxmox may have acted on them.
 */
public final class ProxmoxClient implements ProxmoxApi, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProxmoxClient.class);

    private enum HttpMethod { GET, POST, PUT, DELETE }

    private final ProxmoxConnection connection;
    private final ProxmoxRestApi api;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ProxmoxClient(ProxmoxConnection connection) {
        this.connection = connection;
        URI baseUrl = URI.create(connection.baseUrl().toString().replaceAll("/+$", ""));
        this.api = RestClients.shared(ProxmoxRestApi.class, baseUrl, connection.trust(), connection.requestTimeout());
    }

    public static ProxmoxClient create(ProxmoxConnection connection) {
        return new ProxmoxClient(connection);
    }

    @Override
    public VersionInfo version() {
        return convert(get("/version", FormParams.create()), VersionInfo.class);
    }

    @Override
    public int nextId() {
        // The schema says integer; Proxmox sends a string ("105"). asInt() reads both.
        return get("/cluster/nextid", FormParams.create()).asInt();
    }

    @Override
    public boolean isVmidFree(int vmid) {
        try {
            get("/cluster/nextid", FormParams.create().put("vmid", vmid));
            return true;
        } catch (ProxmoxException e) {
            if (e.isParameterError() && e.errors().containsKey("vmid")) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<ClusterResource> clusterContainers() {
        List<ClusterResource> all = convert(get("/cluster/resources", FormParams.create().put("type", "vm")), new TypeReference<>() { });
        return all.stream().filter(ClusterResource::isContainer).toList();
    }

    @Override
    public List<StorageResource> clusterStorages() {
        List<StorageResource> all = convert(get("/cluster/resources", FormParams.create().put("type", "storage")),
                new TypeReference<>() { });
        return all.stream().filter(s -> "storage".equals(s.type())).toList();
    }

    @Override
    public List<NodeInfo> nodes() {
        return convert(get("/nodes", FormParams.create()), new TypeReference<>() { });
    }

    @Override
    public NodeMemory nodeMemory(String node) {
        return convert(get(nodePath(node) + "/status", FormParams.create()).path("memory"), NodeMemory.class);
    }

    @Override
    public List<NodeStorage> nodeStorages(String node) {
        return convert(get(nodePath(node) + "/storage", FormParams.create()), new TypeReference<>() { });
    }

    @Override
    public String authId() {
        return connection.tokenId();
    }

    @Override
    public Map<String, Boolean> permissions(String authid, String path) {
        JsonNode atPath = get("/access/permissions", FormParams.create().put("userid", authid).put("path", path)).path(path);
        Map<String, Boolean> privileges = new java.util.TreeMap<>();
        // Proxmox answers 0/1 for the propagate flag
        atPath.fields().forEachRemaining(privilege -> privileges.put(privilege.getKey(), privilege.getValue().asInt() == 1));
        return privileges;
    }

    @Override
    public List<ContainerStatus> containers(String node) {
        return convert(get(nodePath(node) + "/lxc", FormParams.create()), new TypeReference<>() { });
    }

    @Override
    public ContainerStatus containerStatus(String node, int vmid) {
        return convert(get(ctPath(node, vmid) + "/status/current", FormParams.create()), ContainerStatus.class);
    }

    @Override
    public Upid start(String node, int vmid) {
        return task(HttpMethod.POST, ctPath(node, vmid) + "/status/start", FormParams.create());
    }

    @Override
    public Upid stop(String node, int vmid) {
        return task(HttpMethod.POST, ctPath(node, vmid) + "/status/stop", FormParams.create());
    }

    @Override
    public Upid shutdown(String node, int vmid, int timeoutSeconds, boolean forceStop) {
        return task(HttpMethod.POST, ctPath(node, vmid) + "/status/shutdown",
                FormParams.create().put("timeout", timeoutSeconds).put("forceStop", forceStop));
    }

    @Override
    public Upid reboot(String node, int vmid) {
        return task(HttpMethod.POST, ctPath(node, vmid) + "/status/reboot", FormParams.create());
    }

    @Override
    public Upid cloneContainer(String node, int vmid, CloneRequest request) {
        return task(HttpMethod.POST, ctPath(node, vmid) + "/clone", request.toParams());
    }

    @Override
    public ContainerConfig config(String node, int vmid) {
        return config(node, vmid, null);
    }

    @Override
    public ContainerConfig config(String node, int vmid, String snapshot) {
        Map<String, Object> values = convert(get(ctPath(node, vmid) + "/config", FormParams.create().put("snapshot", snapshot)),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        return new ContainerConfig(values);
    }

    @Override
    public void updateConfig(String node, int vmid, ConfigUpdate update) {
        send(HttpMethod.PUT, ctPath(node, vmid) + "/config", update.toParams());
    }

    @Override
    public Upid createContainer(String node, CreateRequest request) {
        return task(HttpMethod.POST, nodePath(node) + "/lxc", request.toParams());
    }

    @Override
    public Upid deleteContainer(String node, int vmid, boolean purge, boolean force) {
        return task(HttpMethod.DELETE, ctPath(node, vmid), FormParams.create().put("purge", purge).put("force", force));
    }

    @Override
    public Upid migrate(String node, int vmid, String target, boolean restart, String targetStorage) {
        return task(HttpMethod.POST, ctPath(node, vmid) + "/migrate", FormParams.create().put("target", target)
                .put("restart", restart).put("target-storage", targetStorage));
    }

    @Override
    public List<SnapshotInfo> snapshots(String node, int vmid) {
        List<SnapshotInfo> all = convert(get(ctPath(node, vmid) + "/snapshot", FormParams.create()), new TypeReference<>() { });
        return all.stream().filter(s -> !"current".equals(s.name())).toList();
    }

    @Override
    public Upid createSnapshot(String node, int vmid, String snapname, String description) {
        return task(HttpMethod.POST, ctPath(node, vmid) + "/snapshot",
                FormParams.create().put("snapname", snapname).put("description", description));
    }

    @Override
    public Upid deleteSnapshot(String node, int vmid, String snapname) {
        return task(HttpMethod.DELETE, ctPath(node, vmid) + "/snapshot/" + segment(snapname), FormParams.create());
    }

    @Override
    public Upid vzdump(String node, int vmid, String storage, String notes) {
        return task(HttpMethod.POST, nodePath(node) + "/vzdump", FormParams.create().put("vmid", vmid).put("storage", storage)
                .put("mode", "snapshot").put("compress", "zstd").put("remove", false).put("notes-template", notes));
    }

    @Override
    public List<BackupContent> backups(String node, String storage, int vmid) {
        return convert(get(nodePath(node) + "/storage/" + segment(storage) + "/content",
                FormParams.create().put("content", "backup").put("vmid", vmid)), new TypeReference<>() { });
    }

    @Override
    public Upid deleteVolume(String node, String storage, String volid) {
        return task(HttpMethod.DELETE, nodePath(node) + "/storage/" + segment(storage) + "/content/" + segment(volid),
                FormParams.create());
    }

    @Override
    public FirewallOptions firewallOptions(String node, int vmid) {
        Map<String, Object> values = convert(get(firewallPath(node, vmid) + "/options", FormParams.create()),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        return new FirewallOptions(values);
    }

    @Override
    public void updateFirewallOptions(String node, int vmid, FirewallOptionsUpdate update) {
        send(HttpMethod.PUT, firewallPath(node, vmid) + "/options", update.toParams());
    }

    @Override
    public List<FirewallRule> firewallRules(String node, int vmid) {
        return convert(get(firewallPath(node, vmid) + "/rules", FormParams.create()), new TypeReference<>() { });
    }

    @Override
    public void createFirewallRule(String node, int vmid, FirewallRuleRequest rule) {
        send(HttpMethod.POST, firewallPath(node, vmid) + "/rules", rule.toParams());
    }

    @Override
    public void deleteFirewallRule(String node, int vmid, int pos, String rulesDigest) {
        send(HttpMethod.DELETE, firewallPath(node, vmid) + "/rules/" + pos, FormParams.create().put("digest", rulesDigest));
    }

    @Override
    public List<IpSet> ipSets(String node, int vmid) {
        return convert(get(firewallPath(node, vmid) + "/ipset", FormParams.create()), new TypeReference<>() { });
    }

    @Override
    public void createIpSet(String node, int vmid, String name, String comment) {
        send(HttpMethod.POST, firewallPath(node, vmid) + "/ipset", FormParams.create().put("name", name).put("comment", comment));
    }

    @Override
    public void deleteIpSet(String node, int vmid, String name) {
        send(HttpMethod.DELETE, ipSetPath(node, vmid, name), FormParams.create());
    }

    @Override
    public List<IpSetEntry> ipSetEntries(String node, int vmid, String name) {
        return convert(get(ipSetPath(node, vmid, name), FormParams.create()), new TypeReference<>() { });
    }

    @Override
    public void addIpSetEntry(String node, int vmid, String name, String cidr, String comment) {
        send(HttpMethod.POST, ipSetPath(node, vmid, name), FormParams.create().put("cidr", cidr).put("comment", comment));
    }

    @Override
    public void removeIpSetEntry(String node, int vmid, String name, String cidr, String entriesDigest) {
        send(HttpMethod.DELETE, ipSetPath(node, vmid, name) + "/" + segment(cidr), FormParams.create().put("digest", entriesDigest));
    }

    @Override
    public TaskStatus taskStatus(Upid upid) {
        return convert(get(taskPath(upid) + "/status", FormParams.create()), TaskStatus.class);
    }

    @Override
    public TaskLog taskLog(Upid upid, int start, int limit) {
        JsonNode envelope = request(HttpMethod.GET, taskPath(upid) + "/log", FormParams.create().put("start", start).put("limit", limit));
        List<TaskLog.Line> lines = convert(envelope.path("data"), new TypeReference<>() { });
        return new TaskLog(lines, envelope.path("total").asInt(lines.size()));
    }

    /** Nothing to release: the REST client is shared per endpoint and lives as long as the application. */
    @Override
    public void close() {
    }

    private static String nodePath(String node) {
        return "/nodes/" + segment(node);
    }

    private static String ctPath(String node, int vmid) {
        return nodePath(node) + "/lxc/" + vmid;
    }

    private static String firewallPath(String node, int vmid) {
        return ctPath(node, vmid) + "/firewall";
    }

    private static String ipSetPath(String node, int vmid, String name) {
        return firewallPath(node, vmid) + "/ipset/" + segment(name);
    }

    private static String taskPath(Upid upid) {
        return nodePath(upid.node()) + "/tasks/" + segment(upid.value());
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode get(String path, FormParams params) {
        return request(HttpMethod.GET, path, params).path("data");
    }

    private void send(HttpMethod method, String path, FormParams params) {
        request(method, path, params);
    }

    private Upid task(HttpMethod method, String path, FormParams params) {
        return Upid.parse(request(method, path, params).path("data").asText());
    }

    private <T> T convert(JsonNode data, Class<T> type) {
        return json.convertValue(data, type);
    }

    private <T> T convert(JsonNode data, TypeReference<T> type) {
        return json.convertValue(data, type);
    }

    /** One API call; the whole envelope on success. GETs are retried, nothing else. */
    private JsonNode request(HttpMethod method, String path, FormParams params) {
        String description = method + " " + path;
        int attempts = method == HttpMethod.GET ? 1 + connection.getRetries() : 1;
        Duration backoff = connection.retryBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return exchange(method, path, params, description);
            } catch (ProxmoxException e) {
                boolean retryable = e.status() == 0 || e.status() >= 500;
                if (!retryable || attempt >= attempts) {
                    throw e;
                }
                LOG.debugf("%s failed (%s), retrying in %d ms", description, e.reason(), backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private JsonNode exchange(HttpMethod method, String path, FormParams params, String description) {
        String relative = path.substring(1); // the interface's paths are relative to /api2/json
        String authorization = connection.authorizationHeader();
        try (Response response = switch (method) {
            case GET -> api.get(relative, params.asMap(), authorization);
            case DELETE -> api.delete(relative, params.asMap(), authorization);
            case POST -> api.post(relative, params.encode(), authorization);
            case PUT -> api.put(relative, params.encode(), authorization);
        }) {
            int status = response.getStatus();
            String reason = Objects.requireNonNullElse(response.getStatusInfo().getReasonPhrase(), "");
            byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
            LOG.debugf("%s -> %d %s", description, status, reason);
            if (status == 200) {
                return parse(body, description);
            }
            throw error(description, status, reason, body);
        } catch (ProcessingException e) {
            throw new ProxmoxException(description, "request failed: " + failure(e), e);
        }
    }

    /** What went wrong below HTTP, as the innermost cause says it (a timeout, a refused connection, a TLS failure). */
    private String failure(ProcessingException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) { // no answer within the request timeout (Vert.x says "timeout period")
            return "timed out after " + connection.requestTimeout().toMillis() + " ms";
        }
        return cause.toString();
    }

    private JsonNode parse(byte[] body, String description) {
        try {
            return json.readTree(body);
        } catch (Exception e) {
            throw new ProxmoxException(description, "unreadable JSON answer", e);
        }
    }

    private ProxmoxException error(String description, int status, String reason, byte[] raw) {
        String message = null;
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            JsonNode body = raw.length == 0 ? null : json.readTree(raw);
            if (body != null && body.hasNonNull("message")) {
                message = body.get("message").asText();
            }
            if (body != null) {
                body.path("errors").fields().forEachRemaining(e -> errors.put(e.getKey(), e.getValue().asText()));
            }
        } catch (Exception e) {
            // an error page that is not JSON (e.g. from a reverse proxy): the reason phrase is all there is
        }
        return new ProxmoxException(description, status, reason, message, errors);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxmoxException("retry", "interrupted", e);
        }
    }

}
