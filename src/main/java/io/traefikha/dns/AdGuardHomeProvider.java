package io.traefikha.dns;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.traefikha.http.RestClients;
import io.traefikha.http.TlsTrust;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * AdGuard Home's DNS rewrites through its HTTP API ({@code /control/rewrite/*}), following the behaviour documented in
 * the project's REWRITE-API-NOTES: mutations answer 200 with an empty body, add never de-duplicates (so we never add a
 * pair that exists), update exists since v0.107.30 (older servers get add-then-delete), disabled rewrites are ignored.
 * Calls go through the {@link AdGuardHomeApi} Quarkus REST Client, one per server shared by every resource using it.
 */
public final class AdGuardHomeProvider implements DnsProvider {

    private static final Logger LOG = Logger.getLogger(AdGuardHomeProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOCK_WAIT = Duration.ofSeconds(30);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final URI base;
    private final String username;
    /** The only place the password lives: inside the precomputed header value, never logged or shown. */
    private final String authorization;
    private final AdGuardHomeApi api;
    private volatile Boolean updateEndpoint;

    /**
     * @param url AdGuard Home's base URL, e.g. http://192.168.1.253:3000
     * @param timeout connect timeout and timeout of each request
     */
    public AdGuardHomeProvider(String url, String username, String password, Duration timeout) {
        this(url, username, password, timeout, TlsTrust.systemDefault());
    }

    /** @param trust how an https server's certificate is verified (unused for http) */
    public AdGuardHomeProvider(String url, String username, String password, Duration timeout, TlsTrust trust) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.username = username;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.api = RestClients.shared(AdGuardHomeApi.class, URI.create(base.toString().replaceAll("/+$", "")),
                trust, timeout);
    }

    @Override
    public String server() {
        return base.toString();
    }

    @Override
    public String toString() {
        return "AdGuardHomeProvider[" + base + ", user " + username + "]";
    }

    @Override
    public Map<String, List<String>> lookup(Collection<String> names, RecordType type) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        names.forEach(n -> answers.put(n, new ArrayList<>()));
        for (Rewrite r : list()) {
            List<String> forName = answers.get(r.domain().toLowerCase(Locale.ROOT));
            if (forName != null && r.answers(type) && !forName.contains(r.canonicalAnswer())) {
                forName.add(r.canonicalAnswer());
            }
        }
        return answers;
    }

    @Override
    public List<String> namesAnswering(String address, String domain) {
        return list().stream().filter(r -> r.answers(RecordType.A) && address.equals(r.answer()))
                .map(r -> r.domain().toLowerCase(Locale.ROOT)).filter(name -> DnsProvider.discoverable(name, domain))
                .distinct().sorted().toList();
    }

    @Override
    public void replace(String name, RecordType type, List<String> expected, List<String> wanted) {
        ServerWriteLocks.withLock(server(), LOCK_WAIT, () -> {
            replaceLocked(name, type, expected, wanted);
            return null;
        });
    }

    private void replaceLocked(String name, RecordType type, List<String> expected, List<String> wanted) {
        List<Rewrite> current = list().stream()
                .filter(r -> r.domain().equalsIgnoreCase(name) && r.answers(type))
                .toList();
        Set<String> currentAnswers = answers(current);
        if (!currentAnswers.equals(new HashSet<>(expected))) {
            throw new ProviderException(ProviderException.Kind.CONCURRENT_CHANGE, name + " " + type + " on " + server()
                    + " now answers " + currentAnswers + ", not the expected " + expected
                    + ": changed by someone else, not touched");
        }
        // Send the domain exactly as stored: update and delete compare it byte-exactly.
        String domain = current.isEmpty() ? name : current.get(0).domain();
        List<String> toRemove = new ArrayList<>(currentAnswers);
        toRemove.removeAll(wanted);
        List<String> toAdd = new ArrayList<>(new LinkedHashSet<>(wanted));
        toAdd.removeAll(currentAnswers);

        // Update in place where possible: the entry keeps its position and the name never goes unanswered.
        while (!toRemove.isEmpty() && !toAdd.isEmpty() && hasUpdateEndpoint()) {
            List<String> stored = storedAs(current, toRemove.remove(0));
            update(domain, stored.get(0), toAdd.remove(0));
            if (stored.size() > 1 || current.stream().filter(r -> r.answer().equals(stored.get(0))).count() > 1) {
                stored.forEach(answer -> delete(domain, answer)); // its older duplicates, however they are spelled
            }
        }
        // Add before delete, for the same reason.
        for (String answer : toAdd) {
            send("POST /control/rewrite/add", () -> api.addRewrite(new Rewrite(domain, answer, null), authorization));
        }
        for (String answer : toRemove) {
            storedAs(current, answer).forEach(stored -> delete(domain, stored));
        }

        Set<String> after = answers(list().stream().filter(r -> r.domain().equalsIgnoreCase(name) && r.answers(type))
                .toList());
        if (!after.equals(new HashSet<>(wanted))) {
            throw new ProviderException(ProviderException.Kind.CONCURRENT_CHANGE, name + " " + type + " on " + server()
                    + " answers " + after + " right after we set " + wanted + ": another writer changed it at the same time");
        }
        LOG.debugf("%s %s on %s: %s -> %s", name, type, server(), expected, wanted);
    }

    /** How the rewrites of an answer store it (update and delete compare byte-exactly; "FD00::1" is "fd00::1"). */
    private static List<String> storedAs(List<Rewrite> rewrites, String canonical) {
        return rewrites.stream().filter(r -> r.canonicalAnswer().equals(canonical)).map(Rewrite::answer).distinct().toList();
    }

    private void update(String domain, String from, String to) {
        try {
            send("PUT /control/rewrite/update", () -> api.updateRewrite(
                    new AdGuardHomeApi.RewriteUpdate(new Rewrite(domain, from, null), new Rewrite(domain, to, null)), authorization));
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.REJECTED && e.getMessage().endsWith("target rule not found")) {
                throw new ProviderException(ProviderException.Kind.CONCURRENT_CHANGE, domain + " -> " + from + " on " + server()
                        + " disappeared between our list and our update: another writer changed it", e);
            }
            throw e;
        }
    }

    private void delete(String domain, String answer) {
        send("POST /control/rewrite/delete", () -> api.deleteRewrite(new Rewrite(domain, answer, null), authorization));
    }

    private static Set<String> answers(List<Rewrite> rewrites) {
        Set<String> answers = new LinkedHashSet<>();
        rewrites.forEach(r -> answers.add(r.canonicalAnswer()));
        return answers;
    }

    private List<Rewrite> list() {
        String body = send("GET /control/rewrite/list", () -> api.listRewrites(authorization));
        try {
            return JSON.readValue(body, new TypeReference<List<Rewrite>>() { });
        } catch (JsonProcessingException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE,
                    "AdGuard Home at " + base + " answered GET /control/rewrite/list with something that is not a rewrite list", e);
        }
    }

    /** Asks the server's version once; a version that is no release (a development build) is assumed to be current. */
    private boolean hasUpdateEndpoint() {
        if (updateEndpoint == null) {
            String version = null;
            try {
                JsonNode status = JSON.readTree(send("GET /control/status", () -> api.status(authorization)));
                version = status.path("version").asText(null);
            } catch (JsonProcessingException e) {
                LOG.debugf("status of %s is not JSON; assuming the update endpoint exists", base);
            }
            AdGuardVersion parsed = AdGuardVersion.parseOrNull(version);
            updateEndpoint = parsed == null || parsed.atLeast(AdGuardVersion.UPDATE_ENDPOINT);
            if (!updateEndpoint) {
                LOG.infof("AdGuard Home at %s is %s, older than %s: changing rewrites with add and delete", base, parsed,
                        AdGuardVersion.UPDATE_ENDPOINT);
            }
        }
        return updateEndpoint;
    }

    /** One API call; returns the body of a 200 answer (empty for mutations). */
    private String send(String call, Supplier<Response> request) {
        try (Response response = request.get()) {
            return answer(call, response);
        } catch (ProcessingException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE,
                    "AdGuard Home at " + base + " cannot be reached (" + call + "): " + e.getMessage(), e);
        }
    }

    private String answer(String call, Response response) {
        int status = response.getStatus();
        String text = response.hasEntity() ? response.readEntity(String.class).strip() : "";
        if (status == 200) {
            return text;
        }
        String at = "AdGuard Home at " + base + " answered " + call + " with " + status;
        if (status == 401) {
            throw new ProviderException(ProviderException.Kind.AUTHENTICATION, at + ": user '" + username
                    + "' or its password is wrong, or this address is blocked after too many failed logins"
                    + " (AdGuard Home blocks for block_auth_min, 15 minutes by default)");
        }
        if (status == 302) {
            String location = Objects.requireNonNullElse(response.getHeaderString(HttpHeaders.LOCATION), "?");
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, at + " (redirect to " + location
                    + "): its first-run setup is not completed");
        }
        String detail = text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
        ProviderException.Kind kind = status >= 400 && status < 500 ? ProviderException.Kind.REJECTED
                : ProviderException.Kind.UNAVAILABLE;
        throw new ProviderException(kind, at + detail);
    }

    /** A rewrite as the API sends and takes it; {@code enabled} is absent on servers older than v0.107.68. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Rewrite(String domain, String answer, Boolean enabled) {

        /**
         * Whether this rewrite takes part in answering queries of TYPE: an IPv4 answer only A queries, an IPv6 answer
         * only AAAA queries, the exception "A" or "AAAA" only its own type, a CNAME target both.
         */
        boolean answers(RecordType type) {
            if (Boolean.FALSE.equals(enabled)) {
                return false;
            }
            boolean ipv6 = answer.contains(":");
            boolean ipv4 = IPV4.matcher(answer).matches();
            return type == RecordType.A ? !ipv6 && !answer.equalsIgnoreCase("AAAA")
                    : !ipv4 && !answer.equalsIgnoreCase("A");
        }

        /** The answer as the planner compares it: an IPv6 address in its canonical text. */
        String canonicalAnswer() {
            return RecordType.normalize(answer);
        }
    }
}
