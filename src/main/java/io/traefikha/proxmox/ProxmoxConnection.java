package io.traefikha.proxmox;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import io.traefikha.http.TlsTrust;

/**
 * Where and how to reach one Proxmox VE API, built per custom resource at runtime.
 *
 * @param baseUrl        e.g. https://proxmox.lan:8006 (the /api2/json prefix is added by the client)
 * @param tokenId        USER@REALM!TOKENID
 * @param tokenSecret    the token's UUID; never logged (see {@link #toString()})
 * @param trust          how the server certificate is verified
 * @param requestTimeout per HTTP request
 * @param getRetries     how often a GET is retried after a 5xx or a connection failure (POST/PUT/DELETE never are)
 * @param retryBackoff   first wait between GET attempts; doubles each time
 */
public record ProxmoxConnection(URI baseUrl, String tokenId, String tokenSecret, TlsTrust trust,
        Duration requestTimeout, int getRetries, Duration retryBackoff) {

    public ProxmoxConnection {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (!"https".equals(baseUrl.getScheme()) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("Proxmox base URL must be https://host[:port], got " + baseUrl);
        }
        if (tokenId == null || !tokenId.matches("[^@!\\s]+@[^@!\\s]+![A-Za-z][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("token id must look like USER@REALM!TOKENID");
        }
        if (tokenSecret == null || tokenSecret.isBlank()) {
            throw new IllegalArgumentException("token secret must not be empty");
        }
        if (getRetries < 0) {
            throw new IllegalArgumentException("getRetries must be >= 0");
        }
    }

    /** Defaults: 30 s per request, GET retried twice starting at 500 ms. */
    public static ProxmoxConnection of(String baseUrl, String tokenId, String tokenSecret, TlsTrust trust) {
        return new ProxmoxConnection(URI.create(baseUrl), tokenId, tokenSecret, trust, Duration.ofSeconds(30), 2,
                Duration.ofMillis(500));
    }

    public ProxmoxConnection withRetries(int retries, Duration backoff) {
        return new ProxmoxConnection(baseUrl, tokenId, tokenSecret, trust, requestTimeout, retries, backoff);
    }

    public ProxmoxConnection withRequestTimeout(Duration timeout) {
        return new ProxmoxConnection(baseUrl, tokenId, tokenSecret, trust, timeout, getRetries, retryBackoff);
    }

    /** The Authorization header value; the only place the secret is used. */
    String authorizationHeader() {
        return "PVEAPIToken=" + tokenId + "=" + tokenSecret;
    }

    @Override
    public String toString() {
        return "ProxmoxConnection[baseUrl=" + baseUrl + ", tokenId=" + tokenId + ", tokenSecret=***, trust="
                + trust.getClass().getSimpleName() + "]";
    }
}
