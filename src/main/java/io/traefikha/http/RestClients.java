package io.traefikha.http;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

/**
 * Quarkus REST Clients built at run time, one per interface, base URL, trust and timeout, shared by every caller with
 * those settings. A client holds a connection pool, and connections are made per reconcile round, so building one each
 * round would leak pools; credentials therefore travel with each call, not in the client. The clients live as long as
 * the application (they run on its Vert.x, which closes them at shutdown); there is one per endpoint a resource names.
 *
 * <p>Error answers come back as a {@code Response}, not as an exception (the default exception mapper is off), so the
 * caller reads the status, the reason phrase and the body; redirects are not followed; connections are not reused.
 */
public final class RestClients {

    private record Key(Class<?> api, URI baseUrl, TlsTrust trust, Duration timeout) {
    }

    private static final Map<Key, Object> CLIENTS = new ConcurrentHashMap<>();

    private RestClients() {
    }

    /**
     * The shared client of {@code api} at {@code baseUrl}.
     *
     * @param timeout connect timeout, and how long an answer may take
     */
    public static <T> T shared(Class<T> api, URI baseUrl, TlsTrust trust, Duration timeout) {
        return api.cast(CLIENTS.computeIfAbsent(new Key(api, baseUrl, trust, timeout), key -> build(key, api)));
    }

    private static <T> T build(Key key, Class<T> api) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(key.baseUrl())
                .connectTimeout(key.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(key.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .disableDefaultMapper(true)
                // A new connection per request: Proxmox closes the connection after every error answer, and a request
                // sent on a pooled connection the server had just closed never arrived and waited out its timeout.
                .property(QuarkusRestClientProperties.KEEP_ALIVE_ENABLED, false)
                // the resource's trust decides, never a global quarkus.tls.trust-all (which the REST client would
                // otherwise apply to a client without a TLS configuration of its own)
                .trustAll(false);
        ClientTls.of(key.trust()).ifPresent(builder::tlsConfiguration);
        return builder.build(api);
    }
}
