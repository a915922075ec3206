package io.traefikha.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.HealthCheckTlsSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TraefikHealthTest {

    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    static Stream<Arguments> curlArguments() {
        return Stream.of(
                Arguments.of("plain http is fetched as it is", null, null, "http://127.0.0.1:8080/ping",
                        "'http://127.0.0.1:8080/ping'"),
                Arguments.of("https to the loopback without tls: not verified", null, null, "https://127.0.0.1:8443/ping",
                        "-k 'https://127.0.0.1:8443/ping'"),
                Arguments.of("a CA: verified against it, for the URL's host", null, CA, "https://localhost:8443/ping",
                        "--cacert '/etc/keepalived/traefik-ha-health-ca.pem' 'https://localhost:8443/ping'"),
                Arguments.of("a server name: asks the loopback, verifies the name (system CAs)", "traefik.home.example", null,
                        "https://127.0.0.1:8443/ping?x=1",
                        "--connect-to 'traefik.home.example:8443:127.0.0.1:8443' 'https://traefik.home.example:8443/ping?x=1'"),
                Arguments.of("a server name and a CA, default port", "traefik.home.example", CA, "https://127.0.0.1/api/rawdata",
                        "--cacert '/etc/keepalived/traefik-ha-health-ca.pem' --connect-to 'traefik.home.example:443:127.0.0.1:443'"
                                + " 'https://traefik.home.example/api/rawdata'"),
                Arguments.of("tls settings leave an http URL alone", "traefik.home.example", CA, "http://127.0.0.1:8080/ping",
                        "'http://127.0.0.1:8080/ping'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void curlArguments(String why, String serverName, String ca, String url, String expected) {
        assertThat(health(serverName, ca).curlArguments(url)).isEqualTo(expected);
    }

    @Test
    void theCaIsWrittenOnlyWhenTheSpecHasOneAndBeforeTheCheckScriptThatNamesIt() {
        assertThat(health(null, null).caFile()).isEmpty();
        assertThat(health("traefik.home.example", null).caFile()).isEmpty();
        RemoteFile ca = health(null, CA).caFile().orElseThrow();
        assertThat(ca.path()).isEqualTo(KeepalivedPaths.HEALTH_CA);
        assertThat(new String(ca.content(), StandardCharsets.US_ASCII)).isEqualTo(CA);

        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        spec.healthCheck.url = "https://127.0.0.1:8443/ping";
        spec.healthCheck.tls = tls("traefik.home.example", CA);
        spec.traefik.serviceName = "traefik-proxy.service";
        KeepalivedFiles files = KeepalivedRenderer.render(spec, "homelab", Role.PRIMARY, null);
        assertThat(files.remoteFiles()).extracting(RemoteFile::path)
                .startsWith(KeepalivedPaths.HEALTH_CA, KeepalivedPaths.CHECK_SCRIPT);
        assertThat(files.checkScript())
                .contains("systemctl is-active --quiet -- 'traefik-proxy.service' ||")
                .contains("curl -fsS -m 1 -o /dev/null --cacert '/etc/keepalived/traefik-ha-health-ca.pem' --connect-to"
                        + " 'traefik.home.example:8443:127.0.0.1:8443' 'https://traefik.home.example:8443/ping' 2>/dev/null");
        assertThat(KeepalivedPaths.WRITTEN).as("restored or removed on Rollback").contains(KeepalivedPaths.HEALTH_CA);
    }

    private static TraefikHealth health(String serverName, String ca) {
        return new TraefikHealth("traefik", "http://127.0.0.1:8080/ping", "http://127.0.0.1:8080/api/rawdata", null,
                serverName == null && ca == null ? null : tls(serverName, ca));
    }

    private static HealthCheckTlsSpec tls(String serverName, String ca) {
        HealthCheckTlsSpec tls = new HealthCheckTlsSpec();
        tls.serverName = serverName;
        tls.caCertificate = ca;
        return tls;
    }
}
