package io.traefikha.proxmox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * {@link ProxmoxApi} over HTTPS with an API token.
 *
 * <p>Built on the Vert.x core HTTP client (the one under the Quarkus REST Client) rather than a REST Client
 * interface because: connection settings and trust differ per custom resource and are only known at runtime;
 * fingerprint pinning needs a custom trust manager without hostname verification; Proxmox puts the error's first
 * line in the HTTP reason phrase, which Vert.x exposes (the JDK HttpClient drops it); and a REST Client proxy is
 * generated at Quarkus build time, so it would not work from plain unit tests or the standalone simulator demo.
 *
 * <p>GET requests are retried on 5xx/59x and connection failures with exponential backoff; POST, PUT and DELETE
 * are never retried, since Proxmox may have acted on them.
 */
public final class ProxmoxClient implements ProxmoxApi, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProxmoxClient.class);
    private static final String API_PREFIX = "/api2/json";

    private final ProxmoxConnection connection;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ProxmoxClient(Vertx vertx, boolean ownsVertx, ProxmoxConnection connection) {
        this.connection = connection;
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.http = vertx.createHttpClient(httpOptions(connection));
    }

    /** A client on a shared Vert.x instance (in the operator: the Quarkus-managed one). */
    public static ProxmoxClient create(Vertx vertx, ProxmoxConnection connection) {
        return new ProxmoxClient(vertx, false, connection);
    }

    /** A client with its own Vert.x instance, closed with the client (tests, tools). */
    public static ProxmoxClient create(ProxmoxConnection connection) {
        return new ProxmoxClient(Vertx.vertx(), true, connection);
    }

    private static HttpClientOptions httpOptions(ProxmoxConnection connection) {
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(true)
                .setConnectTimeout((int) connection.requestTimeout().toMillis())
                .setMaxPoolSize(4);
        TlsTrust trust = connection.trust();
        if (trust instanceof TlsTrust.CaPem ca) {
            options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.pem())));
        } else if (trust instanceof TlsTrust.Fingerprint pin) {
            options.setTrustOptions(TrustOptions.wrap(FingerprintTrustManager.pinned(pin.sha256()))).setVerifyHost(false);
        } else if (trust instanceof TlsTrust.Insecure) {
            options.setTrustOptions(TrustOptions.wrap(FingerprintTrustManager.trustAll())).setVerifyHost(false);
        }
        return options;
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
    public List<NodeInfo> nodes() {
        return convert(get("/nodes", FormParams.create()), new TypeReference<>() { });
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
        Map<String, Object> values = convert(get(ctPath(node, vmid) + "/config", FormParams.create()), new TypeReference<LinkedHashMap<String, Object>>() { });
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
    public Upid migrate(String node, int vmid, String target, boolean restart) {
        return task(HttpMethod.POST, ctPath(node, vmid) + "/migrate", FormParams.create().put("target", target).put("restart", restart));
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
    public TaskStatus taskStatus(Upid upid) {
        return convert(get(taskPath(upid) + "/status", FormParams.create()), TaskStatus.class);
    }

    @Override
    public TaskLog taskLog(Upid upid, int start, int limit) {
        JsonNode envelope = request(HttpMethod.GET, taskPath(upid) + "/log", FormParams.create().put("start", start).put("limit", limit));
        List<TaskLog.Line> lines = convert(envelope.path("data"), new TypeReference<>() { });
        return new TaskLog(lines, envelope.path("total").asInt(lines.size()));
    }

    @Override
    public void close() {
        http.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        if (ownsVertx) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    private static String nodePath(String node) {
        return "/nodes/" + segment(node);
    }

    private static String ctPath(String node, int vmid) {
        return nodePath(node) + "/lxc/" + vmid;
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
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("blocking Proxmox call on a Vert.x event loop: " + description);
        }
        boolean inBody = method == HttpMethod.POST || method == HttpMethod.PUT;
        String query = inBody || params.isEmpty() ? "" : "?" + params.encode();
        String uri = connection.baseUrl().toString().replaceAll("/+$", "") + API_PREFIX + path + query;
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(uri)
                .setIdleTimeout(connection.requestTimeout().toMillis())
                .putHeader("Authorization", connection.authorizationHeader())
                .putHeader("Accept", "application/json");
        Buffer body = inBody ? Buffer.buffer(params.encode()) : null;
        if (inBody) {
            options.putHeader("Content-Type", "application/x-www-form-urlencoded");
        }
        Future<Response> future = http.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(b -> new Response(response.statusCode(), response.statusMessage(), b)));
        Response response;
        try {
            response = future.toCompletionStage().toCompletableFuture()
                    .get(connection.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ProxmoxException(description, "request failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new ProxmoxException(description, "no answer within " + connection.requestTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxmoxException(description, "interrupted", e);
        }
        LOG.debugf("%s -> %d %s", description, response.status(), response.reason());
        if (response.status() == 200) {
            return parse(response.body(), description);
        }
        throw error(description, response);
    }

    private JsonNode parse(Buffer body, String description) {
        try {
            return json.readTree(body.getBytes());
        } catch (Exception e) {
            throw new ProxmoxException(description, "unreadable JSON answer", e);
        }
    }

    private ProxmoxException error(String description, Response response) {
        String message = null;
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            JsonNode body = response.body().length() == 0 ? null : json.readTree(response.body().getBytes());
            if (body != null && body.hasNonNull("message")) {
                message = body.get("message").asText();
            }
            if (body != null) {
                body.path("errors").fields().forEachRemaining(e -> errors.put(e.getKey(), e.getValue().asText()));
            }
        } catch (Exception e) {
            // an error page that is not JSON (e.g. from a reverse proxy): the reason phrase is all there is
        }
        return new ProxmoxException(description, response.status(), response.reason(), message, errors);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxmoxException("retry", "interrupted", e);
        }
    }

    private record Response(int status, String reason, Buffer body) {
    }
}
