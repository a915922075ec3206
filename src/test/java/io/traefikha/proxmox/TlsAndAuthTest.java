package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.simulator.proxmox.SimulatorCertificates;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.traefikha.http.TlsTrust;

/** Certificate trust modes and token authentication against the simulator's CA-signed node certificate. */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class TlsAndAuthTest {

    private static ProxmoxSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = ProxmoxSimulator.homelab().statsInterval(Duration.ZERO).start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static VersionInfo versionWith(TlsTrust trust, String secret) {
        try (ProxmoxClient client = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(), secret, trust)
                .withRetries(0, Duration.ofMillis(10)).withRequestTimeout(Duration.ofSeconds(5)))) {
            return client.version();
        }
    }

    @Test
    void pinnedFingerprintIsTrusted() {
        assertThat(versionWith(TlsTrust.fingerprint(simulator.fingerprint().toLowerCase()), simulator.tokenSecret()).release())
                .isEqualTo("8.4");
    }

    @Test
    void wrongFingerprintIsRefused() {
        String other = SimulatorCertificates.generate("other").fingerprint();
        assertThatThrownBy(() -> versionWith(TlsTrust.fingerprint(other), simulator.tokenSecret()))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).contains("does not match the pinned");
                });
    }

    @Test
    void clusterCaIsTrustedAndAForeignCaIsNot() {
        assertThat(versionWith(TlsTrust.caPem(simulator.caPem()), simulator.tokenSecret()).version()).isEqualTo("8.4.1");
        String foreignCa = SimulatorCertificates.generate("other").caPem();
        assertThatThrownBy(() -> versionWith(TlsTrust.caPem(foreignCa), simulator.tokenSecret()))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.status()).isZero());
    }

    @Test
    void selfSignedIsRefusedByDefaultAndAcceptedOnlyWhenInsecureIsChosen() {
        assertThatThrownBy(() -> versionWith(TlsTrust.systemDefault(), simulator.tokenSecret()))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> assertThat(e.status()).isZero());
        assertThat(versionWith(TlsTrust.insecure(), simulator.tokenSecret()).release()).isEqualTo("8.4");
    }

    @Test
    void badTokenIs401AndTheSecretIsNeverPrinted() {
        assertThatThrownBy(() -> versionWith(TlsTrust.fingerprint(simulator.fingerprint()), "00000000-0000-0000-0000-000000000000"))
                .isInstanceOfSatisfying(ProxmoxException.class, e -> {
                    assertThat(e.isAuthenticationFailure()).isTrue();
                    assertThat(e.reason()).isEqualTo("Authentication failed!");
                });
        ProxmoxConnection connection = ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(), simulator.tokenSecret(),
                TlsTrust.insecure());
        assertThat(connection.toString()).doesNotContain(simulator.tokenSecret()).contains("***");
    }
}
