package io.traefikha.keepalived;

import io.traefikha.api.v1alpha1.HealthCheckTlsSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Shell;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * How a node asks its own Traefik whether it is healthy, for keepalived's check script and the operator's probe alike:
 * the systemd unit, and curl's arguments for each health URL with the certificate verification healthCheck.tls asks for.
 *
 * @param tls null: an https URL (the loopback only, see the validator) is fetched without verifying the certificate
 */
public record TraefikHealth(String serviceName, String pingUrl, String apiUrl, String versionUrl, HealthCheckTlsSpec tls) {

    public static TraefikHealth of(TraefikHAClusterSpec spec) {
        return new TraefikHealth(spec.traefik.serviceName, spec.healthCheck.url, spec.healthCheck.apiUrl,
                spec.traefik.versionUrl, spec.healthCheck.tls);
    }

    /** The CA certificate the check verifies Traefik's certificate with, on both nodes; empty for the system store. */
    public Optional<RemoteFile> caFile() {
        return tls == null || tls.caCertificate == null ? Optional.empty()
                : Optional.of(RemoteFile.rootOwned(KeepalivedPaths.HEALTH_CA, tls.caCertificate, 0644));
    }

    public String quotedService() {
        return Shell.quote(serviceName);
    }

    /**
     * curl's arguments to fetch the URL, shell-quoted: the URL alone for http; {@code -k} before an https URL when no
     * verification is asked for; otherwise {@code --cacert} with the CA file and, for a server name, the URL with that
     * name and {@code --connect-to} the URL's own host, so the node still asks itself but verifies the certificate for the
     * name it carries. Null for a null URL.
     */
    public String curlArguments(String url) {
        if (url == null || !url.startsWith("https://")) {
            return url == null ? null : Shell.quote(url);
        }
        if (tls == null) {
            return "-k " + Shell.quote(url);
        }
        StringBuilder arguments = new StringBuilder();
        if (tls.caCertificate != null) {
            arguments.append("--cacert ").append(Shell.quote(KeepalivedPaths.HEALTH_CA)).append(' ');
        }
        if (tls.serverName == null) {
            return arguments.append(Shell.quote(url)).toString();
        }
        URI asked = URI.create(url);
        int port = asked.getPort() == -1 ? 443 : asked.getPort();
        try {
            URI named = new URI(asked.getScheme(), asked.getUserInfo(), tls.serverName, asked.getPort(), asked.getPath(),
                    asked.getQuery(), asked.getFragment());
            return arguments.append("--connect-to ").append(Shell.quote(tls.serverName + ":" + port + ":" + asked.getHost() + ":" + port))
                    .append(' ').append(Shell.quote(named.toString())).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("spec.healthCheck.tls.serverName '" + tls.serverName + "' does not fit in " + url, e);
        }
    }
}
