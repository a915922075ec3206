package io.traefikha.simulator.adguard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.util.NetUtil;
import io.traefikha.dns.AdGuardVersion;
import io.traefikha.simulator.proxmox.SimulatorCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An AdGuard Home stand-in for tests and the demo: the DNS-rewrite part of its HTTP API on 127.0.0.1, with the real
 * server's rules as REWRITE-API-NOTES describes them (Basic auth with lock-out, 405/415 checks, plain-text errors,
 * empty 200 bodies, duplicates on add, update and {@code enabled} only from the versions that have them), and faults
 * to inject: latency, server errors, and another writer racing the next change.
 */
public final class AdGuardHomeSimulator implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately; with Nagle on, each answer on a kept-alive connection
        // waits for the client's delayed ACK (~40 ms). Must be set before the JDK server's configuration is loaded.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IPV4 = Pattern.compile(io.traefikha.api.v1alpha1.Patterns.IPV4);
    private static final Pattern DOMAIN_LABEL = Pattern.compile("^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$");

    private final AdGuardVersion version;
    private final Map<String, String> users;
    private final int authAttempts;
    private final Duration blockDuration;
    private final Clock clock;
    private final boolean setupCompleted;

    /** The stored rewrites, in insertion order; every access holds this list's monitor. */
    private final List<Rewrite> rewrites = new ArrayList<>();
    private boolean rewritesEnabled = true;
    private final Map<String, Integer> failedLogins = new HashMap<>();
    private final Map<String, Instant> blockedUntil = new HashMap<>();
    private final List<String> requestLog = new ArrayList<>();

    private volatile Duration latency = Duration.ZERO;
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private volatile int injectedStatus = 500;
    private final AtomicReference<Runnable> racingWriter = new AtomicReference<>();

    private final HttpServer server;
    private final ExecutorService executor;

    private AdGuardHomeSimulator(Builder b) throws IOException {
        this.version = b.version;
        this.users = Map.copyOf(b.users);
        this.authAttempts = b.authAttempts;
        this.blockDuration = b.blockDuration;
        this.clock = b.clock;
        this.setupCompleted = b.setupCompleted;
        b.rewrites.forEach(r -> rewrites.add(new Rewrite(r.domain().toLowerCase(Locale.ROOT), r.answer(), r.enabled())));
        this.server = b.certificates == null ? HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
                : https(b.certificates);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "adguard-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base URL, e.g. http://127.0.0.1:41234, or https://localhost:41234 when started with certificates. */
    public String url() {
        return (server instanceof HttpsServer ? "https://localhost:" : "http://127.0.0.1:") + server.getAddress().getPort();
    }

    /** AdGuard Home with its encryption settings on: the server presents the certificate of {@code certificates}. */
    private static HttpsServer https(SimulatorCertificates certificates) throws IOException {
        try {
            char[] password = UUID.randomUUID().toString().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(certificates.pkcs12(password)), password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            return server;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the simulator's TLS: " + e.getMessage(), e);
        }
    }

    /** A copy of the stored rewrites in order. */
    public List<Rewrite> rewrites() {
        synchronized (rewrites) {
            return List.copyOf(rewrites);
        }
    }

    /** Answers of a domain, in list order, as a DNS client of this server would see them (enabled entries only). */
    public List<String> answersOf(String domain) {
        return rewrites().stream().filter(r -> r.enabled() && r.domain().equals(domain)).map(Rewrite::answer).toList();
    }

    /**
     * What a DNS query of QTYPE ("A" or "AAAA") for a domain gets from the rewrites, as AdGuard Home answers it: the
     * enabled exact entries whose answer is an address of that family or a CNAME target; an empty list (NODATA) when the
     * domain has entries but none for that type, as for an AAAA query of a name with only IPv4 rewrites; empty Optional
     * when no entry applies and the query goes upstream (no entry, or the exception "A"/"AAAA" for that type).
     */
    public Optional<List<String>> query(String domain, String qtype) {
        List<String> answers = rewrites().stream().filter(r -> r.enabled() && r.domain().equals(domain))
                .map(Rewrite::answer).toList();
        if (answers.isEmpty() || answers.contains(qtype)) {
            return Optional.empty();
        }
        return Optional.of(answers.stream().filter(answer -> !answer.equals("A") && !answer.equals("AAAA"))
                .filter(answer -> qtype.equals("AAAA") ? !IPV4.matcher(answer).matches() : !answer.contains(":"))
                .toList());
    }

    /** Changes the store directly, as another user of the web UI would (no auth, no rules). */
    public void addRewrite(Rewrite rewrite) {
        synchronized (rewrites) {
            rewrites.add(rewrite);
        }
    }

    /** Removes every entry of a domain directly, as another user of the web UI would. */
    public void removeRewrites(String domain) {
        synchronized (rewrites) {
            rewrites.removeIf(r -> r.domain().equals(domain));
        }
    }

    /** Every request received, as "METHOD /path", in order. */
    public List<String> requestLog() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    /** Delay before every answer from now on. */
    public void injectLatency(Duration delay) {
        this.latency = delay;
    }

    /** The next {@code count} requests are answered with {@code status} and a plain-text error, changing nothing. */
    public void failNextRequests(int count, int status) {
        this.injectedStatus = status;
        failuresToInject.set(count);
    }

    /** Just before the next rewrite change is applied, {@code foreignWrite} runs, as a client racing ours would. */
    public void raceNextChange(Runnable foreignWrite) {
        racingWriter.set(foreignWrite);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            synchronized (requestLog) {
                requestLog.add(method + " " + path);
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            sleep(latency);
            if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                text(ex, injectedStatus, "simulated failure");
                return;
            }
            if (!setupCompleted) {
                ex.getResponseHeaders().set("Location", "install.html");
                ex.sendResponseHeaders(302, -1);
                return;
            }
            if (!authenticated(ex)) {
                ex.sendResponseHeaders(401, -1); // empty body, no WWW-Authenticate
                return;
            }
            route(ex, method, path, body);
        } catch (RuntimeException e) {
            text(ex, 500, "simulator error: " + e.getMessage());
        }
    }

    private void route(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        boolean newApi = version.atLeast(AdGuardVersion.ENABLED_FIELD);
        switch (path) {
            case "/control/status" -> {
                if (allowed(ex, method, "GET")) {
                    json(ex, status());
                }
            }
            case "/control/rewrite/list" -> {
                if (allowed(ex, method, "GET")) {
                    json(ex, list());
                }
            }
            case "/control/rewrite/add" -> mutation(ex, method, "POST", body, this::add);
            case "/control/rewrite/delete" -> mutation(ex, method, "POST", body, this::delete);
            case "/control/rewrite/update" -> {
                if (version.atLeast(AdGuardVersion.UPDATE_ENDPOINT)) {
                    mutation(ex, method, "PUT", body, this::update);
                } else {
                    notFound(ex);
                }
            }
            case "/control/rewrite/settings" -> {
                if (!newApi) {
                    notFound(ex);
                } else if (allowed(ex, method, "GET")) {
                    synchronized (rewrites) {
                        json(ex, JSON.createObjectNode().put("enabled", rewritesEnabled));
                    }
                }
            }
            case "/control/rewrite/settings/update" -> {
                if (newApi) {
                    mutation(ex, method, "PUT", body, request -> {
                        rewritesEnabled = optionalBoolean(request, "enabled", false); // {} turns rewrites off
                        return null;
                    });
                } else {
                    notFound(ex);
                }
            }
            default -> notFound(ex);
        }
    }

    /** Basic auth with AdGuard Home's lock-out: after authAttempts failures an address is refused for blockDuration. */
    private boolean authenticated(HttpExchange ex) {
        if (users.isEmpty()) {
            return true;
        }
        String ip = ex.getRemoteAddress().getAddress().getHostAddress();
        synchronized (failedLogins) {
            Instant until = blockedUntil.get(ip);
            if (until != null && clock.instant().isBefore(until)) {
                return false;
            }
            if (credentialsMatch(ex.getRequestHeaders().getFirst("Authorization"))) {
                return true;
            }
            int failures = failedLogins.merge(ip, 1, Integer::sum);
            if (failures >= authAttempts) {
                failedLogins.remove(ip);
                blockedUntil.put(ip, clock.instant().plus(blockDuration));
            }
            return false;
        }
    }

    private boolean credentialsMatch(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon > 0 && decoded.substring(colon + 1).equals(users.get(decoded.substring(0, colon)));
    }

    /** Method, Content-Type and JSON checks shared by all changes; the change runs holding the store's monitor. */
    private void mutation(HttpExchange ex, String method, String expectedMethod, byte[] body, Change change) throws IOException {
        if (!allowed(ex, method, expectedMethod)) {
            return;
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (body.length > 0 && !"application/json".equals(contentType)) {
            text(ex, 415, "only content-type application/json is allowed");
            return;
        }
        if (body.length == 0 && contentType != null) {
            text(ex, 415, "empty body with content-type \"" + contentType + "\" not allowed");
            return;
        }
        JsonNode request;
        try {
            request = body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            text(ex, 400, "json.Decode: invalid character in request body");
            return;
        }
        if (request == null || !request.isObject()) {
            text(ex, 400, "json.Decode: " + (request == null ? "EOF" : "cannot unmarshal into an object"));
            return;
        }
        Runnable racer = racingWriter.getAndSet(null);
        if (racer != null) {
            racer.run();
        }
        String error;
        try {
            synchronized (rewrites) {
                error = change.apply((ObjectNode) request);
            }
        } catch (BadRequest e) {
            error = e.getMessage();
        }
        if (error != null) {
            text(ex, 400, error);
        } else {
            ex.sendResponseHeaders(200, -1); // mutations answer with an empty body
        }
    }

    private String add(ObjectNode request) {
        Rewrite entry = entry(request, true);
        rewrites.add(entry); // no de-duplication, as the real server
        return null;
    }

    private String delete(ObjectNode request) {
        String domain = string(request, "domain");
        String answer = string(request, "answer");
        rewrites.removeIf(r -> r.domain().equals(domain) && r.answer().equals(answer)); // 200 even when none matched
        return null;
    }

    private String update(ObjectNode request) {
        JsonNode target = field(request, "target");
        JsonNode update = field(request, "update");
        if (target == null || !target.isObject() || update == null || !update.isObject()) {
            throw new BadRequest("json.Decode: target and update must be objects");
        }
        String domain = string((ObjectNode) target, "domain");
        String answer = string((ObjectNode) target, "answer");
        for (int i = 0; i < rewrites.size(); i++) {
            Rewrite r = rewrites.get(i);
            if (r.domain().equals(domain) && r.answer().equals(answer)) {
                Rewrite replacement = entry((ObjectNode) update, r.enabled());
                rewrites.set(i, replacement); // in place: keeps its position
                return null;
            }
        }
        return "target rule not found";
    }

    /** A rewrite from a request: domain lower-cased, answer validated, {@code enabled} read only by servers that have it. */
    private Rewrite entry(ObjectNode node, boolean enabledWhenOmitted) {
        String domain = string(node, "domain").toLowerCase(Locale.ROOT);
        String answer = string(node, "answer");
        if (!validAnswer(answer)) {
            throw new BadRequest("normalizing: invalid CNAME target \"" + answer + "\": bad domain name");
        }
        boolean enabled = version.atLeast(AdGuardVersion.ENABLED_FIELD)
                ? optionalBoolean(node, "enabled", enabledWhenOmitted)
                : enabledWhenOmitted;
        return new Rewrite(domain, answer, enabled);
    }

    private static boolean validAnswer(String answer) {
        if (answer.equals("A") || answer.equals("AAAA") || IPV4.matcher(answer).matches() || NetUtil.isValidIpV6Address(answer)) {
            return true;
        }
        String name = answer.endsWith(".") ? answer.substring(0, answer.length() - 1) : answer;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!DOMAIN_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private ArrayNode list() {
        ArrayNode list = JSON.createArrayNode();
        for (Rewrite r : rewrites()) {
            ObjectNode entry = list.addObject().put("domain", r.domain()).put("answer", r.answer());
            if (version.atLeast(AdGuardVersion.ENABLED_FIELD)) {
                entry.put("enabled", r.enabled());
            }
        }
        return list;
    }

    private ObjectNode status() {
        ObjectNode status = JSON.createObjectNode()
                .put("version", version.toString())
                .put("language", "en")
                .put("dns_port", 53)
                .put("http_port", server.getAddress().getPort())
                .put("protection_enabled", true)
                .put("protection_disabled_duration", 0)
                .put("dhcp_available", false)
                .put("running", true);
        status.putArray("dns_addresses").add("127.0.0.1");
        if (version.atLeast(AdGuardVersion.START_TIME)) {
            status.put("start_time", clock.millis());
        }
        return status;
    }

    /** Go's JSON decoding: field names match case-insensitively. */
    private static JsonNode field(ObjectNode node, String name) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equalsIgnoreCase(name)) {
                return f.getValue();
            }
        }
        return null;
    }

    private static String string(ObjectNode node, String name) {
        JsonNode value = field(node, name);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new BadRequest("json.Decode: json: cannot unmarshal " + value.getNodeType().toString().toLowerCase(Locale.ROOT)
                    + " into Go struct field ." + name + " of type string");
        }
        return value.asText();
    }

    private static boolean optionalBoolean(ObjectNode node, String name, boolean whenOmitted) {
        JsonNode value = field(node, name);
        if (value == null || value.isNull()) {
            return whenOmitted;
        }
        if (!value.isBoolean()) {
            throw new BadRequest("json.Decode: json: cannot unmarshal " + value.getNodeType().toString().toLowerCase(Locale.ROOT)
                    + " into Go struct field ." + name + " of type bool");
        }
        return value.asBoolean();
    }

    private static boolean allowed(HttpExchange ex, String method, String expected) throws IOException {
        if (method.equals(expected)) {
            return true;
        }
        text(ex, 405, "only method " + expected + " is allowed");
        return false;
    }

    private static void notFound(HttpExchange ex) throws IOException {
        text(ex, 404, "404 page not found");
    }

    /** Go's http.Error: plain text, message and a newline. */
    private static void text(HttpExchange ex, int status, String message) throws IOException {
        byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void json(HttpExchange ex, JsonNode value) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(value);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration delay) {
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A change of the store; returns a 400 message, or null on success. */
    @FunctionalInterface
    private interface Change {
        String apply(ObjectNode request);
    }

    /** A 400 answer found while reading the request. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** Settings of a simulator; defaults are those of a freshly installed current AdGuard Home with one user. */
    public static final class Builder {
        private AdGuardVersion version = AdGuardVersion.parse("v0.107.79");
        private final Map<String, String> users = new HashMap<>();
        private int authAttempts = 5;
        private Duration blockDuration = Duration.ofMinutes(15);
        private Clock clock = Clock.systemUTC();
        private boolean setupCompleted = true;
        private final List<Rewrite> rewrites = new ArrayList<>();
        private SimulatorCertificates certificates;

        /** Serve https with this node certificate (valid for localhost and 127.0.0.1) instead of plain http. */
        public Builder tls(SimulatorCertificates certificates) {
            this.certificates = certificates;
            return this;
        }

        /** Version to emulate, e.g. v0.107.29 for a server without the update endpoint and without {@code enabled}. */
        public Builder version(String version) {
            this.version = AdGuardVersion.parse(version);
            return this;
        }

        /** A web-UI user; without any, no authentication is required (as AdGuard Home without users). */
        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        /** AdGuard Home's auth_attempts and block_auth_min. */
        public Builder lockOut(int attempts, Duration block) {
            this.authAttempts = attempts;
            this.blockDuration = block;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** false: every /control request is redirected to install.html, as before the first-run setup. */
        public Builder setupCompleted(boolean completed) {
            this.setupCompleted = completed;
            return this;
        }

        public Builder rewrites(List<Rewrite> initial) {
            rewrites.addAll(initial);
            return this;
        }

        public AdGuardHomeSimulator start() {
            try {
                return new AdGuardHomeSimulator(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the AdGuard Home simulator on 127.0.0.1", e);
            }
        }
    }
}
