package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.ProxmoxTlsSpec;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Finding;
import io.traefikha.keepalived.ClusterSpecs;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecurityWarningsTest {

    private static final String FINGERPRINT = String.join(":", java.util.Collections.nCopies(32, "AB"));

    /** A spec change, and the fields the InsecureTransport message must name (none: the condition is False). */
    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of("no DNS, Proxmox verified", none(), List.of()),
                Arguments.of("AdGuard over https, system CAs", adguard("https://dns.lan", null), List.of()),
                Arguments.of("AdGuard over https with a CA", adguard("https://dns.lan", tls(t -> t.caSecretRef = new SecretRef("ca"))),
                        List.of()),
                Arguments.of("AdGuard over https pinned", adguard("https://dns.lan", tls(t -> t.fingerprint = FINGERPRINT)), List.of()),
                Arguments.of("AdGuard over plain http", adguard("http://192.168.1.253:3000", null), List.of("spec.dns.adguard.url")),
                Arguments.of("AdGuard URL in capitals", adguard("HTTP://dns.lan", null), List.of("spec.dns.adguard.url")),
                Arguments.of("AdGuard https, insecureSkipVerify",
                        adguard("https://dns.lan", tls(t -> t.insecureSkipVerify = true)), List.of("spec.dns.adguard.tls.insecureSkipVerify")),
                Arguments.of("a replica over http", adguard("https://dns.lan", null).andThen(s -> s.dns.adguard.replicas =
                        List.of("https://dns2.lan", "http://dns3.lan")), List.of("spec.dns.adguard.replicas[1]")),
                Arguments.of("Proxmox insecureSkipVerify", (Consumer<TraefikHAClusterSpec>) s -> s.proxmox.tls =
                        tls(t -> t.insecureSkipVerify = true), List.of("spec.proxmox.tls.insecureSkipVerify")),
                Arguments.of("everything at once", adguard("http://dns.lan", tls(t -> t.insecureSkipVerify = true))
                        .andThen(s -> s.proxmox.tls = tls(t -> t.insecureSkipVerify = true)),
                        List.of("spec.proxmox.tls.insecureSkipVerify", "spec.dns.adguard.url",
                                "spec.dns.adguard.tls.insecureSkipVerify")),
                Arguments.of("AdGuard settings left while the provider is RFC2136", adguard("http://dns.lan", null)
                        .andThen(s -> s.dns.provider = DnsSpec.DnsProvider.RFC2136), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void warnsNamingEachInsecureField(String name, Consumer<TraefikHAClusterSpec> change, List<String> fields) {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        change.accept(spec);

        List<Finding> findings = SecurityWarnings.of(spec);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(ConditionTypes.INSECURE_TRANSPORT);
            assertThat(f.status()).isEqualTo(!fields.isEmpty());
            assertThat(f.reason()).isEqualTo(fields.isEmpty() ? "Verified" : "Insecure");
            fields.forEach(field -> assertThat(f.message()).contains(field));
            assertThat(f.message().split("; ")).hasSize(Math.max(1, fields.size()));
        });
    }

    private static Consumer<TraefikHAClusterSpec> none() {
        return s -> { };
    }

    private static Consumer<TraefikHAClusterSpec> adguard(String url, ProxmoxTlsSpec tls) {
        return s -> {
            s.dns = new DnsSpec();
            s.dns.provider = DnsSpec.DnsProvider.AdGuardHome;
            s.dns.adguard = new DnsSpec.AdGuardSpec();
            s.dns.adguard.url = url;
            s.dns.adguard.credentialsSecretRef = new SecretRef("adguard");
            s.dns.adguard.tls = tls;
        };
    }

    private static ProxmoxTlsSpec tls(Consumer<ProxmoxTlsSpec> setting) {
        ProxmoxTlsSpec tls = new ProxmoxTlsSpec();
        setting.accept(tls);
        return tls;
    }
}
