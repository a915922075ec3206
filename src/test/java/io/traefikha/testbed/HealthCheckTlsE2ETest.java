package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.HealthCheckTlsSpec;
import io.traefikha.api.v1alpha1.SpecValidator;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.keepalived.KeepalivedNodeFiles;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.node.SshNodeGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Traefik as a homelab may run it: under its own systemd unit (traefik-proxy; the unit named traefik is stopped on both
 * nodes, so a check that asked for it would fail) and answering its ping, API and version over HTTPS on 127.0.0.1:8443
 * with a certificate for traefik.home.example signed by the homelab's own CA. Real keepalived runs the rendered check
 * script; the operator's probe runs over real SSH.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthCheckTlsE2ETest extends HaPairE2ETest {

    private static final String SERVER_NAME = "traefik.home.example";
    private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(10);
    private static Path pki;
    private static String homelabCa;
    private static String otherCa;

    @BeforeAll
    static void traefikBehindHttpsUnderItsOwnUnit() throws IOException {
        pki = Files.createTempDirectory("traefikha-health-tls");
        homelabCa = ca("homelab-ca");
        otherCa = ca("other-ca");
        openssl("req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -subj /CN=" + SERVER_NAME
                + " -out server.csr");
        Files.writeString(pki.resolve("san.ext"), "subjectAltName=DNS:" + SERVER_NAME + "\n");
        openssl("x509 -req -in server.csr -CA homelab-ca.pem -CAkey homelab-ca.key -CAcreateserial -days 2 -extfile san.ext"
                + " -out server.pem");
        for (BedHost host : new BedHost[] {pair.primary, pair.secondary}) {
            host.write("/etc/bed-tls/cert.pem", Files.readString(pki.resolve("server.pem")), "644");
            host.write("/etc/bed-tls/key.pem", Files.readString(pki.resolve("server.key")), "600");
            host.systemctl("stop traefik").orThrow("stopping traefik on " + host);
            host.systemctl("start traefik-proxy").orThrow("starting traefik-proxy on " + host);
            assertThat(HaPair.await(Duration.ofSeconds(5), () -> host.exec("curl -fsSk -m 1 -o /dev/null https://127.0.0.1:8443/ping")
                    .exitCode() == 0)).as("the bed's Traefik answers https on " + host).isTrue();
        }
    }

    @AfterAll
    static void removePki() throws IOException {
        try (var files = Files.walk(pki)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void aVerifiedHttpsCheckThroughTheOwnUnitLetsThePrimaryHoldTheVipAndTheProbeSeesTraefikHealthy() {
        TraefikHAClusterSpec spec = spec(homelabCa);
        assertThat(SpecValidator.validate(spec)).isEmpty();
        pair.deploy(spec, null);

        assertThat(HaPair.await(FAILOVER_LIMIT, () -> pair.onlyHolder(pair.primary))).as("only the primary holds the VIP").isTrue();
        assertThat(pair.primary.readFile(KeepalivedPaths.HEALTH_CA)).isEqualTo(homelabCa);
        NodeObservation primary = probe(spec, Role.PRIMARY);
        assertThat(primary.traefikHealthy()).as("service active, ping and router count over verified https").isTrue();
        assertThat(primary.traefikVersion()).as("read from https://traefik.home.example:8443/api/version").isEqualTo("3.1.0");
    }

    @Test
    @Order(2)
    void theWrongCaFailsTheCheckOnBothNodesSoVerificationIsReal() {
        TraefikHAClusterSpec spec = spec(otherCa);
        pair.deploy(spec, null);

        assertThat(HaPair.await(FAILOVER_LIMIT, () -> !pair.primary.holds(HaPair.VIP) && !pair.secondary.holds(HaPair.VIP)))
                .as("no node may hold the VIP when no node can show a healthy Traefik").isTrue();
        assertThat(pair.primary.readFile(KeepalivedPaths.CHECK_LOG)).contains("traefik ping not answering");
        assertThat(probe(spec, Role.PRIMARY).traefikHealthy()).isFalse();
        assertThat(probe(spec, Role.SECONDARY).traefikHealthy()).isFalse();
    }

    @Test
    @Order(3)
    void stoppingTheOwnUnitOnThePrimaryMovesTheVip() {
        TraefikHAClusterSpec spec = spec(homelabCa);
        pair.deploy(spec, null);
        assertThat(HaPair.await(FAILOVER_LIMIT, () -> pair.onlyHolder(pair.primary))).isTrue();

        pair.primary.systemctl("stop traefik-proxy").orThrow("stopping traefik-proxy");
        try {
            assertThat(HaPair.await(FAILOVER_LIMIT, () -> pair.onlyHolder(pair.secondary))).as("the VIP moved").isTrue();
            // the ping may fail first, while the unit is still stopping
            assertThat(HaPair.await(FAILOVER_LIMIT, () -> pair.primary.readFile(KeepalivedPaths.CHECK_LOG)
                    .contains("traefik service not active"))).as("the check asks systemd for traefik-proxy").isTrue();
            assertThat(probe(spec, Role.PRIMARY).traefikHealthy()).isFalse();
        } finally {
            pair.primary.systemctl("start traefik-proxy");
        }
    }

    private static TraefikHAClusterSpec spec(String ca) {
        TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
        spec.traefik.serviceName = "traefik-proxy";
        spec.traefik.versionUrl = "https://127.0.0.1:8443/api/version";
        spec.healthCheck.url = "https://127.0.0.1:8443/ping";
        spec.healthCheck.apiUrl = "https://127.0.0.1:8443/api/rawdata";
        spec.healthCheck.tls = new HealthCheckTlsSpec();
        spec.healthCheck.tls.serverName = SERVER_NAME;
        spec.healthCheck.tls.caCertificate = ca;
        return spec;
    }

    private static NodeObservation probe(TraefikHAClusterSpec spec, Role role) {
        Map<Role, List<ManagedFile>> files = KeepalivedNodeFiles.render(spec, "bed", null, Optional.empty());
        try (SshNodeGateway nodes = pair.gateway(spec)) {
            return nodes.probe(role, files.get(role));
        }
    }

    private static String ca(String name) {
        openssl("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + name + ".key -subj /CN=" + name
                + " -days 2 -out " + name + ".pem");
        try {
            return Files.readString(pki.resolve(name + ".pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(String arguments) {
        Exec.run(List.of("sh", "-c", "cd " + pki + " && openssl " + arguments), Duration.ofSeconds(30))
                .orThrow("openssl " + arguments);
    }
}
