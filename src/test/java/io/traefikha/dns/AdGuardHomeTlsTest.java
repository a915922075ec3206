package io.traefikha.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.http.TlsTrust;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.Rewrite;
import io.traefikha.simulator.proxmox.SimulatorCertificates;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AdGuard Home over https (its encryption settings on): verified by a CA or a pinned fingerprint, as for Proxmox. */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class) // a REST Client is built only inside the running application
class AdGuardHomeTlsTest {

    private static final SimulatorCertificates CERTIFICATES = SimulatorCertificates.generate("adguard");
    private static AdGuardHomeSimulator sim;

    @BeforeAll
    static void start() {
        sim = AdGuardHomeSimulator.builder().tls(CERTIFICATES).user("operator", "pw")
                .rewrites(List.of(new Rewrite("a.lan", "192.168.1.100"))).start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static Map<String, List<String>> lookupWith(TlsTrust trust) {
        return new AdGuardHomeProvider(sim.url(), "operator", "pw", Duration.ofSeconds(5), trust).lookup(List.of("a.lan"));
    }

    @Test
    void theCaThatSignedItsCertificateIsTrusted() {
        assertThat(sim.url()).startsWith("https://");
        assertThat(lookupWith(TlsTrust.caPem(CERTIFICATES.caPem()))).isEqualTo(Map.of("a.lan", List.of("192.168.1.100")));
    }

    @Test
    void aPinnedFingerprintIsTrusted() {
        assertThat(lookupWith(TlsTrust.fingerprint(CERTIFICATES.fingerprint()))).containsKey("a.lan");
    }

    @Test
    void anythingElseIsRefusedBeforeTheCredentialsAreSent() {
        SimulatorCertificates other = SimulatorCertificates.generate("other");
        for (TlsTrust trust : List.of(TlsTrust.systemDefault(), TlsTrust.caPem(other.caPem()),
                TlsTrust.fingerprint(other.fingerprint()))) {
            int before = sim.requestLog().size();
            assertThatThrownBy(() -> lookupWith(trust)).as(trust.toString()).isInstanceOf(ProviderException.class);
            assertThat(sim.requestLog()).as("no request reached the server").hasSize(before);
        }
    }

    @Test
    void insecureSkipVerifyConnectsToAnyCertificate() {
        assertThat(lookupWith(TlsTrust.insecure())).containsKey("a.lan");
    }
}
