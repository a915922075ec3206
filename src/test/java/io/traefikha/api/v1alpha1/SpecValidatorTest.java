package io.traefikha.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {

    @Test
    void theExampleIsValid() {
        assertThat(SpecValidator.validate(ExampleSpecs.homelab().getSpec())).isEmpty();
    }

    @Test
    void aMissingSpecIsReported() {
        assertThat(SpecValidator.validate(null)).extracting(Violation::field).containsExactly("spec");
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                invalid("spec.proxmox", s -> s.proxmox = null),
                invalid("spec.traefik.stepTimeout", s -> s.traefik.stepTimeout = "soon"),
                invalid("spec.traefik.versionUrl", s -> s.traefik.versionUrl = "localhost:8080"),
                invalid("spec.traefik.upgrade.command", s -> {
                    s.traefik.upgrade = new UpgradeSpec();
                    s.traefik.upgrade.version = "3.2.0";
                }),
                invalid("spec.maintenance.node", s -> s.maintenance = new MaintenanceSpec()),
                invalid("spec.proxmox.url", s -> s.proxmox.url = "http://proxmox:8006"),
                invalid("spec.proxmox.credentialsSecretRef", s -> s.proxmox.credentialsSecretRef = null),
                invalid("spec.proxmox.credentialsSecretRef.name", s -> s.proxmox.credentialsSecretRef.name = "Bad_Name"),
                invalid("spec.proxmox.tls", s -> s.proxmox.tls.insecureSkipVerify = true),
                invalid("spec.proxmox.tls.fingerprint", s -> s.proxmox.tls.fingerprint = "AA:BB"),
                invalid("spec.primary.node", s -> s.primary.node = "Proxmox 1"),
                invalid("spec.primary.vmid", s -> s.primary.vmid = 99),
                invalid("spec.primary.vmid", s -> s.primary.vmid = null),
                invalid("spec.primary.address", s -> s.primary.address = "192.168.1.110"),
                invalid("spec.primary.address", s -> s.primary.address = "192.168.1.300/24"),
                invalid("spec.secondary.hostname", s -> s.secondary.hostname = "traefik_2"),
                invalid("spec.secondary.vmid", s -> s.secondary.vmid = 110),
                invalid("spec.secondary.address", s -> s.secondary.address = "192.168.1.110/24"),
                invalid("spec.secondary.storage", s -> s.secondary.storage = "Local LVM"),
                invalid("spec.network.gateway", s -> s.network.gateway = "192.168.1.1/24"),
                invalid("spec.network.interface", s -> s.network.interfaceName = "eth 0"),
                invalid("spec.ssh.secretRef", s -> s.ssh.secretRef = null),
                invalid("spec.ssh.port", s -> s.ssh.port = 70000),
                invalid("spec.vip.address", s -> s.vip.address = "192.168.1.110/24"),
                invalid("spec.vip.address", s -> s.vip.address = "192.168.1.111/24"),
                invalid("spec.vip.virtualRouterId", s -> s.vip.virtualRouterId = 0),
                invalid("spec.vip.virtualRouterId", s -> s.vip.virtualRouterId = 256),
                invalid("spec.vip.advertInterval", s -> s.vip.advertInterval = "fast"),
                invalid("spec.vip.advertInterval", s -> s.vip.advertInterval = "105ms"),
                invalid("spec.vip.advertInterval", s -> {
                    s.vip.version = 2;
                    s.vip.advertInterval = "100ms";
                }),
                invalid("spec.vip.priorities", s -> s.vip.priorities.secondary = s.vip.priorities.primary),
                invalid("spec.vip.priorities.primary", s -> s.vip.priorities.primary = 255),
                invalid("spec.vip.preemptDelay", s -> s.vip.preemptDelay = "soon"),
                invalid("spec.vip.httpPort", s -> s.vip.httpPort = 0),
                invalid("spec.vip.httpsPort", s -> s.vip.httpsPort = 70000),
                invalid("spec.vip.httpsPort", s -> s.vip.httpsPort = s.vip.httpPort),
                invalid("spec.heartbeat.secretRef", s -> s.heartbeat = new HeartbeatSpec()),
                invalid("spec.heartbeat.interval", s -> {
                    s.heartbeat = new HeartbeatSpec();
                    s.heartbeat.secretRef = new SecretRef("kuma-push");
                    s.heartbeat.interval = "90m";
                }),
                invalid("spec.healthCheck.weight", s -> s.healthCheck.weight = -5),
                invalid("spec.healthCheck.weight", s -> s.healthCheck.weight = 100),
                invalid("spec.healthCheck.interval", s -> s.healthCheck.interval = "2"),
                invalid("spec.healthCheck.fall", s -> s.healthCheck.fall = 0),
                invalid("spec.healthCheck.minRouters", s -> s.healthCheck.minRouters = -1),
                invalid("spec.sync.paths[0]", s -> s.sync.paths = List.of("etc/traefik")),
                invalid("spec.sync.paths", s -> s.sync.paths = List.of()),
                invalid("spec.dns.adguard", s -> s.dns.adguard = null),
                invalid("spec.dns.adguard.url", s -> s.dns.adguard.url = "adguard:3000"),
                invalid("spec.dns.adguard.tls.fingerprint", s -> {
                    s.dns.adguard.tls = new ProxmoxTlsSpec();
                    s.dns.adguard.tls.fingerprint = "AA:BB";
                }),
                invalid("spec.dns.rfc2136", s -> s.dns.provider = DnsSpec.DnsProvider.RFC2136),
                invalid("spec.dns.records[1]", s -> s.dns.records.set(1, "Not A Name")),
                invalid("spec.dns.phases[1].records", s -> s.dns.phases.get(1).records.add("unlisted")),
                invalid("spec.dns.ttl", s -> s.dns.ttl = 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpecs")
    void eachInvalidFieldIsNamed(String field, Consumer<TraefikHAClusterSpec> breakIt) {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        breakIt.accept(spec);

        List<Violation> violations = SpecValidator.validate(spec);

        assertThat(violations).extracting(Violation::field).contains(field);
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).isNotBlank());
    }

    @Test
    void aWeightLargerThanThePriorityGapIsAccepted() {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        spec.healthCheck.weight = -101;
        assertThat(SpecValidator.validate(spec)).isEmpty();
    }

    @Test
    void theSeedsWeightIsRefusedWithTheArithmeticExplained() {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        spec.vip.priorities.primary = 200;
        spec.vip.priorities.secondary = 100;
        spec.healthCheck.weight = -20;
        assertThat(SpecValidator.validate(spec)).singleElement().satisfies(v -> assertThat(v.message())
                .contains("180").contains("100").contains("spec.vip.priorities"));
    }

    @Test
    void wholeSecondAdvertsAreValidForVrrpVersion2() {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        spec.vip.version = 2;
        spec.vip.advertInterval = "1s";
        assertThat(SpecValidator.validate(spec)).isEmpty();
    }

    private static Arguments invalid(String field, Consumer<TraefikHAClusterSpec> change) {
        return Arguments.of(field, change);
    }
}
