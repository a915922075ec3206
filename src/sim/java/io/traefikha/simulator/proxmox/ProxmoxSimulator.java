package io.traefikha.simulator.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * An in-process Proxmox VE 8.4 API for the LXC calls the operator makes: HTTPS on 127.0.0.1 with a freshly made
 * CA-signed node certificate, API-token auth, every request validated against the bundled schema subset, errors
 * placed and worded as real Proxmox does, tasks with UPIDs and logs, and fault injection for tests.
 *
 * <p>Start: {@code ProxmoxSimulator.homelab().start()} (the runbook's three nodes and CT 110), or
 * {@code ProxmoxSimulator.builder()...start()}; from a shell: {@code java -cp <operator jar/classpath>
 * io.traefikha.simulator.proxmox.ProxmoxSimulator [port]}. Connect with {@link #baseUrl()}, {@link #tokenId()},
 * {@link #tokenSecret()} and trust {@link #fingerprint()} or {@link #caPem()}.
 */
public final class ProxmoxSimulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProxmoxSimulator.class);
    private static final String API_PREFIX = "/api2/json";
    private static final int MAX_RECORDED = 10_000;

    /** One request as the simulator saw it and what it answered; contract tests check these against the schema. */
    public record Exchange(String method, String path, String template, Map<String, String> params, int status, JsonNode data) {
    }

    private boolean closed;
    private final ObjectMapper json = new ObjectMapper();
    private final ApiSchema schema;
    private final SimulatedCluster cluster;
    private final SimulatorCertificates certificates;
    private final ScheduledExecutorService scheduler;
    private final Vertx vertx;
    private final HttpServer server;
    private final String tokenId;
    private final String tokenSecret;
    private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
    private final PveAccess access = new PveAccess();
    private volatile Duration latency = Duration.ZERO;
    /** While set, every authenticated request is answered with it (see {@link #failAllRequests}). */
    private volatile PveError outage;

    private ProxmoxSimulator(Builder builder) {
        this.schema = ApiSchema.bundled();
        builder.accessSetup.forEach(step -> step.accept(access));
        this.tokenId = builder.tokenId;
        if (access.tokenSecret(tokenId) == null) {
            // the default token: its user's privileges, no separation (root@pam's: everything)
            String user = PveAccess.userOf(tokenId);
            if (!access.userExists(user)) {
                access.userAdd(user);
            }
            access.tokenAdd(user, tokenId.substring(tokenId.indexOf('!') + 1), false, builder.tokenSecret);
        }
        this.tokenSecret = access.tokenSecret(tokenId);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "pve-simulator-tasks");
            thread.setDaemon(true);
            return thread;
        });
        this.cluster = new SimulatedCluster(scheduler, builder.taskDuration, access);
        builder.setup.forEach(step -> step.accept(cluster));
        this.certificates = SimulatorCertificates.generate(builder.nodes.get(0));
        this.vertx = Vertx.vertx();
        char[] password = UUID.randomUUID().toString().toCharArray();
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(builder.port).setSsl(true)
                .setKeyCertOptions(new PfxOptions().setValue(Buffer.buffer(certificates.pkcs12(password))).setPassword(new String(password)));
        this.server = vertx.createHttpServer(options).requestHandler(this::onRequest);
        await(server.listen().toCompletionStage().toCompletableFuture());
        if (!builder.statsInterval.isZero()) {
            long every = builder.statsInterval.toMillis();
            scheduler.scheduleAtFixedRate(cluster::broadcastStats, every, every, TimeUnit.MILLISECONDS);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The homelab of the seed runbook: nodes proxmox, proxmox2, proxmox3; storages local (dir) and local-lvm
     * (LVM-thin, snapshots); CT 110 "traefik" running on proxmox, Debian 12, 2 cores, 2 GiB, 20 GiB on local-lvm,
     * net0 192.168.1.110/24 gw 192.168.1.1 on vmbr0.
     */
    public static Builder homelab() {
        Map<String, String> traefik = new LinkedHashMap<>();
        traefik.put("arch", "amd64");
        traefik.put("cores", "2");
        traefik.put("features", "nesting=1");
        traefik.put("hostname", "traefik");
        traefik.put("memory", "2048");
        traefik.put("net0", "name=eth0,bridge=vmbr0,gw=192.168.1.1,hwaddr=BC:24:11:5E:7A:10,ip=192.168.1.110/24,type=veth");
        traefik.put("onboot", "1");
        traefik.put("ostype", "debian");
        traefik.put("rootfs", "local-lvm:vm-110-disk-0,size=20G");
        traefik.put("swap", "512");
        traefik.put("tags", "proxy;traefik");
        traefik.put("unprivileged", "1");
        return builder().node("proxmox").node("proxmox2").node("proxmox3")
                .storage("local", false, false, false).storage("local-lvm", false, true, true)
                .container(110, "proxmox", true, traefik);
    }

    /** Builds the cluster and the server; everything but the port has a default. */
    public static final class Builder {
        private final List<String> nodes = new ArrayList<>();
        private final List<java.util.function.Consumer<SimulatedCluster>> setup = new ArrayList<>();
        private final List<java.util.function.Consumer<PveAccess>> accessSetup = new ArrayList<>();
        private int port;
        private String tokenId = "root@pam!operator";
        private String tokenSecret = UUID.randomUUID().toString();
        private Duration taskDuration = Duration.ofMillis(100);
        private Duration statsInterval = Duration.ofSeconds(10);

        public Builder node(String name) {
            nodes.add(name);
            setup.add(c -> c.addNode(name));
            return this;
        }

        /**
         * A storage enabled on every node.
         *
         * @param shared    the same store seen by every node (NFS, Ceph); otherwise each node has its own under this id
         * @param snapshots whether it can snapshot
         * @param rootdir   whether containers may live on it
         */
        public Builder storage(String id, boolean shared, boolean snapshots, boolean rootdir) {
            return storage(id, shared, snapshots, rootdir, new String[0]);
        }

        /** A storage enabled only on {@code nodes} (storage.cfg's {@code nodes} option); none = every node. */
        public Builder storage(String id, boolean shared, boolean snapshots, boolean rootdir, String... nodes) {
            java.util.Set<String> on = java.util.Set.of(nodes);
            setup.add(c -> c.addStorage(new SimulatedCluster.Storage(id, shared, snapshots, rootdir, on)));
            return this;
        }

        /** A container with raw config options as they appear in its config file. */
        public Builder container(int vmid, String node, boolean running, Map<String, String> config) {
            setup.add(c -> c.addContainer(vmid, node, running, config));
            return this;
        }

        /** An SDN VNet in a zone: SDN.Use is then checked on /sdn/zones/ZONE/VNET instead of the localnetwork zone. */
        public Builder vnet(String vnet, String zone) {
            setup.add(c -> c.addVnet(vnet, zone));
            return this;
        }

        /**
         * Users, tokens, roles, groups, pools and ACLs (user.cfg) before the server starts; a token made here and named
         * by {@link #token} keeps the secret given here.
         */
        public Builder access(java.util.function.Consumer<PveAccess> step) {
            accessSetup.add(step);
            return this;
        }

        /** A QEMU VM: only takes its vmid and shows in /cluster/resources. */
        public Builder qemuVm(int vmid, String node) {
            setup.add(c -> c.addQemuVm(vmid, node));
            return this;
        }

        /** 0 = a random free port (default); 8006 is Proxmox's. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /**
         * The token {@link #tokenId()} and {@link #tokenSecret()} name (default root@pam!operator). Unless made in
         * {@link #access}, it is created without privilege separation, so it has its user's privileges.
         */
        public Builder token(String id, String secret) {
            this.tokenId = id;
            this.tokenSecret = secret;
            return this;
        }

        /** How long each task runs (default 100 ms). */
        public Builder taskDuration(Duration value) {
            this.taskDuration = value;
            return this;
        }

        /** How often /cluster/resources learns power states (default 10 s like pvestatd; 0 = only on broadcastStats()). */
        public Builder statsInterval(Duration value) {
            this.statsInterval = value;
            return this;
        }

        public ProxmoxSimulator start() {
            if (nodes.isEmpty()) {
                throw new IllegalStateException("a cluster needs at least one node");
            }
            return new ProxmoxSimulator(this);
        }
    }

    // ---- what clients need ----

    /** https://127.0.0.1:PORT (without /api2/json). */
    public String baseUrl() {
        return "https://127.0.0.1:" + server.actualPort();
    }

    public int port() {
        return server.actualPort();
    }

    public String tokenId() {
        return tokenId;
    }

    public String tokenSecret() {
        return tokenSecret;
    }

    /** SHA-256 fingerprint of the served certificate, AA:BB:... as the Proxmox GUI shows it. */
    public String fingerprint() {
        return certificates.fingerprint();
    }

    /** The cluster CA that signed the served certificate (pve-root-ca.pem). */
    public String caPem() {
        return certificates.caPem();
    }

    /** The served certificate itself (pve-ssl.pem). */
    public String certificatePem() {
        return certificates.certificatePem();
    }

    // ---- inspection and fault injection ----

    public void addListener(ContainerListener listener) {
        cluster.addListener(listener);
    }

    /** Raw config options of a container (as in its config file, without pending changes). */
    public Map<String, String> config(int vmid) {
        return cluster.configOf(vmid);
    }

    public boolean exists(int vmid) {
        return cluster.exists(vmid);
    }

    public boolean isRunning(int vmid) {
        return cluster.isRunning(vmid);
    }

    public String nodeOf(int vmid) {
        return cluster.nodeOf(vmid);
    }

    /** Whether any task has not finished yet. */
    public boolean tasksRunning() {
        return cluster.tasksRunning();
    }

    /** The volids of the backups on a storage (vzdump archives), on whichever node they were made. */
    public List<String> backupVolids(String storage) {
        return cluster.backupVolids(storage);
    }

    /** Delay every answer by this much. */
    public void setLatency(Duration value) {
        this.latency = value;
    }

    /**
     * Every authenticated request gets this HTTP status and reason until {@link #endOutage()}, changing nothing, as
     * when a service behind pveproxy fails (e.g. 500 with pvedaemon down); the reason is the test's, not Proxmox's.
     */
    public void failAllRequests(int status, String reason) {
        outage = PveError.status(status, reason);
    }

    public void endOutage() {
        outage = null;
    }

    /** An offline node: requests for /nodes/{node}/... get 595, it shows offline in /nodes. */
    public void setNodeOnline(String node, boolean online) {
        cluster.setNodeOnline(node, online);
    }

    /** The node's memory as GET /nodes/{node}/status and the node lists report it (free = total - used). */
    public void setNodeMemory(String node, long totalBytes, long usedBytes) {
        cluster.setNodeMemory(node, totalBytes, usedBytes);
    }

    /** A storage's size and use on a node, as GET /nodes/{node}/storage and the cluster view report it. */
    public void setStorageUsage(String storage, String node, long totalBytes, long usedBytes) {
        cluster.setStorageUsage(storage, node, totalBytes, usedBytes);
    }

    public void setTaskDuration(Duration value) {
        cluster.setTaskDuration(value);
    }

    /** The next task of {@code type} (vzclone, vzstart, vzcreate...) ends with this error as its exit status. */
    public void failNextTask(String type, String exitStatus) {
        cluster.failNextTask(type, exitStatus);
    }

    /** The next task of {@code type} dies without a final log line (exit status "unexpected status"), leaving its locks. */
    public void killNextTask(String type) {
        cluster.killNextTask(type);
    }

    /**
     * While on, every task started keeps running (its lock held, its status "running") until
     * {@link #releaseHeldTasks()}: e.g. a task that outlives the operator that started it, for as long as a test needs.
     */
    public void holdTasks(boolean on) {
        cluster.holdTasks(on);
    }

    /** The held tasks end, each after the task duration. */
    public void releaseHeldTasks() {
        cluster.releaseHeldTasks();
    }

    /** The container ignores clean shutdowns: a shutdown task fails after its timeout unless forceStop is given. */
    public void setIgnoresShutdown(int vmid, boolean ignores) {
        cluster.setIgnoresShutdown(vmid, ignores);
    }

    /**
     * The cluster's users, tokens, roles and ACLs, changeable while it runs (as pveum changes user.cfg): requests
     * without the privileges an endpoint checks get 403 "Permission check failed (path, privilege)".
     */
    public PveAccess access() {
        return access;
    }

    /**
     * Whether the container's firewall lets an inbound packet in, judged from its options and rules as the compiled
     * ruleset would (e.g. VRRP: protocol 112 "vrrp" to 224.0.0.18).
     */
    public boolean firewallAcceptsInbound(int vmid, int protocol, String protocolName, String source, String destination) {
        return cluster.firewallAcceptsInbound(vmid, protocol, protocolName, source, destination);
    }

    /** Whether ipfilter lets the container send from {@code address} on net0 (e.g. the VIP once it holds it). */
    public boolean firewallPassesIpFilter(int vmid, String address) {
        return cluster.firewallPassesIpFilter(vmid, address);
    }

    /** Leaves a lock on a container as a crashed operation would; null clears it (pct unlock). */
    public void setLock(int vmid, String lock) {
        cluster.setLock(vmid, lock);
    }

    /** Lets /cluster/resources catch up with power states now instead of at the next stats interval. */
    public void broadcastStats() {
        cluster.broadcastStats();
    }

    /** Every request answered so far (oldest first, at most 10,000). */
    public List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    /** Stops the server; closing again does nothing (tests close it early to simulate an outage). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        await(server.close().toCompletionStage().toCompletableFuture());
        await(vertx.close().toCompletionStage().toCompletableFuture());
    }

    private static void await(java.util.concurrent.CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("simulator server did not start or stop", e);
        }
    }

    // ---- HTTP ----

    private void onRequest(HttpServerRequest request) {
        LOG.debugf("simulator received %s %s", request.method(), request.path());
        request.body().onFailure(e -> LOG.warnf(e, "simulator lost the body of %s %s", request.method(), request.path())).onSuccess(body -> {
            long delay = latency.toMillis();
            if (delay > 0) {
                vertx.setTimer(delay, t -> answer(request, body));
            } else {
                answer(request, body);
            }
        });
    }

    private void answer(HttpServerRequest request, Buffer body) {
        String method = request.method().name();
        String fullPath = request.path();
        String path = fullPath.startsWith(API_PREFIX) ? fullPath.substring(API_PREFIX.length()) : fullPath;
        Map<String, String> params = new LinkedHashMap<>();
        String template = null;
        try {
            String authid = authenticated(request.getHeader("Authorization"));
            if (authid == null) {
                throw PveError.status(401, "Authentication failed!");
            }
            PveError down = outage;
            if (down != null) {
                throw down;
            }
            ApiSchema.Match match = schema.match(method, path)
                    .filter(m -> fullPath.startsWith(API_PREFIX))
                    .orElseThrow(() -> PveError.status(501, "Method '" + method + " " + path + "' not implemented"));
            template = match.endpoint().template();
            collectParameters(request, body, match, params);
            checkPermissions(method, template, match.endpoint(), params, authid);
            Map<String, String> errors = schema.validateParameters(match.endpoint(), params);
            if (!errors.isEmpty()) {
                throw PveError.parameters(errors);
            }
            requireReachable(params.get("node"), template);
            ObjectNode envelope = json.createObjectNode();
            Object result = dispatch(method, template, params, match.endpoint(), envelope, authid);
            envelope.set("data", json.valueToTree(result));
            record(method, path, template, params, 200, envelope.get("data"));
            request.response().putHeader("Content-Type", "application/json;charset=UTF-8").end(envelope.toString());
        } catch (PveError e) {
            record(method, path, template, params, e.status, null);
            respondError(request, e);
        } catch (RuntimeException e) {
            LOG.error("simulator bug on " + method + " " + path, e);
            record(method, path, template, params, 500, null);
            respondError(request, PveError.fail("simulator error: " + e));
        }
    }

    /** The token id the header authenticates, or null. */
    private String authenticated(String header) {
        if (header == null || !header.startsWith("PVEAPIToken=")) {
            return null;
        }
        String credentials = header.substring("PVEAPIToken=".length());
        int split = credentials.indexOf('=') >= 0 ? credentials.indexOf('=') : credentials.indexOf(' ');
        if (split <= 0) {
            return null;
        }
        String authid = credentials.substring(0, split);
        return access.authenticates(authid, credentials.substring(split + 1)) ? authid : null;
    }

    /** Query and body merged (query wins), path parameters on top; conflicting duplicates are refused as Proxmox does. */
    private void collectParameters(HttpServerRequest request, Buffer body, ApiSchema.Match match, Map<String, String> params) {
        HttpMethod method = request.method();
        boolean bodyAllowed = method == HttpMethod.POST || method == HttpMethod.PUT;
        if (body.length() > 0 && !bodyAllowed) {
            throw PveError.status(501, "Unexpected content for method '" + method.name() + "'");
        }
        if (body.length() > 0) {
            String contentType = request.getHeader("Content-Type");
            if (contentType != null && contentType.startsWith("application/json")) {
                readJson(body).fields().forEachRemaining(f -> params.put(f.getKey(),
                        f.getValue().isBoolean() ? (f.getValue().asBoolean() ? "1" : "0") : f.getValue().asText()));
            } else {
                params.putAll(decodeForm(body.toString()));
            }
        }
        if (request.query() != null) {
            params.putAll(decodeForm(request.query()));
        }
        for (Map.Entry<String, String> pathParam : match.pathParameters().entrySet()) {
            String given = params.get(pathParam.getKey());
            if (given != null && !given.equals(pathParam.getValue())) {
                throw PveError.parameter(pathParam.getKey(), "duplicate parameter (already defined in URI) with conflicting values!");
            }
            params.put(pathParam.getKey(), pathParam.getValue());
        }
    }

    private JsonNode readJson(Buffer body) {
        try {
            return json.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            throw PveError.status(400, "malformed JSON body: " + e.getMessage());
        }
    }

    private static Map<String, String> decodeForm(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            values.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return values;
    }

    /**
     * The schema's check, then what a handler checks before its parameters matter: create needs VM.Allocate on the
     * new vmid (or its pool); another's permissions need Sys.Audit on /access. Checks that depend on the guest (its
     * storages, bridges, the options changed) are the cluster's, where pve-container makes them.
     */
    private void checkPermissions(String method, String template, ApiSchema.Endpoint endpoint, Map<String, String> params,
            String authid) {
        new Permissions(access, authid).check(endpoint.info().path("permissions"), params);
        switch (method + " " + template) {
            case "POST /nodes/{node}/lxc" -> {
                String vmid = params.get("vmid");
                String pool = params.get("pool");
                if (!access.has(authid, "/vms/" + vmid, "VM.Allocate")
                        && !(pool != null && access.has(authid, "/pool/" + pool, "VM.Allocate"))) {
                    throw PveAccess.forbidden("/vms/" + vmid + ", VM.Allocate");
                }
            }
            case "POST /nodes/{node}/lxc/{vmid}/clone" -> {
                String pool = params.get("pool");
                if (pool != null && !access.poolExists(pool)) {
                    throw PveAccess.forbidden("pool '" + pool + "' does not exist");
                }
            }
            case "GET /access/permissions" -> {
                String userid = params.getOrDefault("userid", authid);
                boolean self = userid.equals(authid) || PveAccess.userOf(userid).equals(authid);
                if (!self) {
                    access.check(authid, "/access", "Sys.Audit");
                }
            }
            default -> {
                // the schema's check is all
            }
        }
    }

    /** Requests for another node are proxied there; an unreachable node answers 595 with the socket error. */
    private void requireReachable(String node, String template) {
        if (node == null || !template.startsWith("/nodes/{node}")) {
            return;
        }
        if (!cluster.nodeExists(node)) {
            throw PveError.fail("hostname lookup '" + node + "' failed - failed to get address info for: " + node
                    + ": Name or service not known");
        }
        if (!cluster.nodeOnline(node)) {
            throw PveError.status(595, "No route to host");
        }
    }

    private Object dispatch(String method, String template, Map<String, String> p, ApiSchema.Endpoint endpoint, ObjectNode envelope,
            String user) {
        String node = p.get("node");
        int vmid = p.containsKey("vmid") ? Integer.parseInt(p.get("vmid")) : 0;
        switch (method + " " + template) {
            case "GET /version":
                return cluster.version();
            case "GET /cluster/nextid":
                return cluster.nextId(p);
            case "GET /cluster/resources":
                return cluster.clusterResources(p, user);
            case "GET /access/permissions":
                return p.containsKey("path") ? access.permissionsAt(p.getOrDefault("userid", user), p.get("path"))
                        : access.effectivePermissions(p.getOrDefault("userid", user));
            case "GET /nodes":
                return cluster.nodes(fingerprint(), user);
            case "GET /nodes/{node}/status":
                return cluster.nodeStatus(node);
            case "GET /nodes/{node}/storage":
                return cluster.nodeStorages(node, user);
            case "GET /nodes/{node}/lxc":
                return cluster.listContainers(node, user);
            case "POST /nodes/{node}/lxc":
                return cluster.create(node, p, user);
            case "GET /nodes/{node}/lxc/{vmid}":
                return cluster.containerIndex(node, vmid);
            case "DELETE /nodes/{node}/lxc/{vmid}":
                return cluster.destroy(node, vmid, p, user);
            case "GET /nodes/{node}/lxc/{vmid}/status/current":
                return cluster.currentStatus(node, vmid);
            case "POST /nodes/{node}/lxc/{vmid}/status/start":
                return cluster.start(node, vmid, p, user);
            case "POST /nodes/{node}/lxc/{vmid}/status/stop":
                return cluster.stop(node, vmid, p, user);
            case "POST /nodes/{node}/lxc/{vmid}/status/shutdown":
                return cluster.shutdown(node, vmid, p, user);
            case "POST /nodes/{node}/lxc/{vmid}/status/reboot":
                return cluster.reboot(node, vmid, user);
            case "POST /nodes/{node}/lxc/{vmid}/clone":
                return cluster.cloneContainer(node, vmid, p, user);
            case "GET /nodes/{node}/lxc/{vmid}/config":
                return cluster.config(node, vmid, p, endpoint);
            case "PUT /nodes/{node}/lxc/{vmid}/config":
                cluster.deliver(cluster.updateConfig(node, vmid, p, endpoint, user));
                return null;
            case "POST /nodes/{node}/lxc/{vmid}/migrate":
                return cluster.migrate(node, vmid, p, user);
            case "GET /nodes/{node}/lxc/{vmid}/snapshot":
                return cluster.snapshots(node, vmid);
            case "POST /nodes/{node}/lxc/{vmid}/snapshot":
                return cluster.snapshot(node, vmid, p, user);
            case "DELETE /nodes/{node}/lxc/{vmid}/snapshot/{snapname}":
                return cluster.deleteSnapshot(node, vmid, p.get("snapname"), user);
            case "GET /nodes/{node}/lxc/{vmid}/firewall/options":
                return cluster.firewallOptions(node, vmid);
            case "PUT /nodes/{node}/lxc/{vmid}/firewall/options":
                cluster.setFirewallOptions(node, vmid, p);
                return null;
            case "GET /nodes/{node}/lxc/{vmid}/firewall/rules":
                return cluster.firewallRules(node, vmid);
            case "POST /nodes/{node}/lxc/{vmid}/firewall/rules":
                cluster.createFirewallRule(node, vmid, p);
                return null;
            case "DELETE /nodes/{node}/lxc/{vmid}/firewall/rules/{pos}":
                cluster.deleteFirewallRule(node, vmid, p);
                return null;
            case "GET /nodes/{node}/lxc/{vmid}/firewall/ipset":
                return cluster.ipSets(node, vmid);
            case "POST /nodes/{node}/lxc/{vmid}/firewall/ipset":
                cluster.createIpSet(node, vmid, p);
                return null;
            case "DELETE /nodes/{node}/lxc/{vmid}/firewall/ipset/{name}":
                cluster.deleteIpSet(node, vmid, p);
                return null;
            case "GET /nodes/{node}/lxc/{vmid}/firewall/ipset/{name}":
                return cluster.ipSetEntries(node, vmid, p.get("name"));
            case "POST /nodes/{node}/lxc/{vmid}/firewall/ipset/{name}":
                cluster.addIpSetEntry(node, vmid, p);
                return null;
            case "DELETE /nodes/{node}/lxc/{vmid}/firewall/ipset/{name}/{cidr}":
                cluster.removeIpSetEntry(node, vmid, p);
                return null;
            case "POST /nodes/{node}/vzdump":
                return cluster.vzdump(node, p, user);
            case "GET /nodes/{node}/storage/{storage}/content":
                return cluster.storageContent(node, p.get("storage"), p, user);
            case "DELETE /nodes/{node}/storage/{storage}/content/{volume}":
                return cluster.deleteVolume(node, p.get("storage"), p.get("volume"), user);
            case "GET /nodes/{node}/tasks/{upid}/status":
                return cluster.taskStatus(node, p.get("upid"), user);
            case "GET /nodes/{node}/tasks/{upid}/log":
                Map.Entry<List<Map<String, Object>>, Integer> page = cluster.taskLog(node, p.get("upid"), p, user);
                envelope.put("total", page.getValue());
                return page.getKey();
            default:
                throw PveError.status(501, "Method '" + method + " " + template + "' not implemented");
        }
    }

    private void respondError(HttpServerRequest request, PveError error) {
        String message = error.getMessage();
        var response = request.response().setStatusCode(error.status).setStatusMessage(message.lines().findFirst().orElse(""))
                .putHeader("Connection", "close");
        if (error.status == 401) {
            response.end().onComplete(done -> request.connection().close());
            return;
        }
        ObjectNode body = json.createObjectNode();
        body.putNull("data");
        if (!error.errors.isEmpty()) {
            body.set("errors", json.valueToTree(error.errors));
        }
        body.put("message", message + "\n");
        // Proxmox drops keep-alive on errors: the connection really ends here
        response.putHeader("Content-Type", "application/json;charset=UTF-8").end(body.toString())
                .onComplete(done -> request.connection().close());
    }

    private void record(String method, String path, String template, Map<String, String> params, int status, JsonNode data) {
        synchronized (exchanges) {
            if (exchanges.size() >= MAX_RECORDED) {
                exchanges.remove(0);
            }
            exchanges.add(new Exchange(method, path, template, Map.copyOf(params), status, data));
        }
    }

    /** Starts the homelab preset on the given port (default 8006) and prints how to connect. */
    public static void main(String[] args) throws InterruptedException {
        Builder builder = homelab().port(args.length > 0 ? Integer.parseInt(args[0]) : 8006);
        String secret = System.getenv("PVE_SIM_TOKEN_SECRET");
        if (secret != null && !secret.isBlank()) {
            builder.token("root@pam!operator", secret);
        }
        ProxmoxSimulator simulator = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        System.out.println("Proxmox VE simulator (homelab preset) at " + simulator.baseUrl());
        System.out.println("token id:    " + simulator.tokenId());
        System.out.println("token secret: " + (secret != null && !secret.isBlank() ? "(from PVE_SIM_TOKEN_SECRET)" : simulator.tokenSecret()));
        System.out.println("fingerprint: " + simulator.fingerprint());
        System.out.println(simulator.caPem());
        Thread.currentThread().join();
    }
}
