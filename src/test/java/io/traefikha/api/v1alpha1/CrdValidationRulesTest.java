package io.traefikha.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.traefikha.demo.kubeapi.CrdAdmission;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evaluates every CEL rule (x-kubernetes-validations) of the checked-in CRD the way a Kubernetes API server does
 * ({@link CrdAdmission}). The test API server does not run them, so this is where a rule that does not compile, or that
 * refuses the example, is caught. The specs here are Java objects, so every field the model defaults is present;
 * {@link HarmfulSpecsTest} judges specs as written, with fields omitted.
 */
class CrdValidationRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CrdAdmission CRD = CrdAdmission.checkedIn();

    @Test
    void everyRuleCompilesAndTheExampleSatisfiesAll() {
        List<CrdAdmission.Rule> rules = CRD.rules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(9);
        rules.forEach(rule -> CrdAdmission.compile(rule.expression()));
        assertThat(failedRules(ExampleSpecs.homelab().getSpec())).isEmpty();
    }

    static Stream<Arguments> brokenSpecs() {
        return Stream.of(
                broken("every secondary's vmid must differ", s -> s.secondary.vmid = s.primary.vmid),
                broken("every secondary's address must differ", s -> s.secondary.address = "192.168.1.110/16"),
                broken("vip.address must differ", s -> s.vip.address = "192.168.1.111/24"),
                broken("healthCheck.weight must be 0 or larger", s -> s.healthCheck.weight = -5),
                broken("at most one of tls", s -> s.proxmox.tls.insecureSkipVerify = true),
                broken("vip.priorities.primary must be higher", s -> s.vip.priorities.primary = 90),
                broken("below 1s needs vip.version 3", s -> s.vip.version = 2),
                broken("sync.paths must be absolute", s -> s.sync.paths = List.of("/etc/traefik", "etc")),
                broken("dns.adguard is required", s -> s.dns.adguard = null),
                broken("dns.rfc2136 is required", s -> s.dns.provider = DnsSpec.DnsProvider.RFC2136),
                broken("vip.httpPort and vip.httpsPort must differ", s -> s.vip.httpsPort = s.vip.httpPort),
                broken("heartbeat.interval must be whole seconds from 10s to 1h", s -> {
                    s.heartbeat = new HeartbeatSpec();
                    s.heartbeat.secretRef = new SecretRef("kuma-push");
                    s.heartbeat.interval = "5s";
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenSpecs")
    void eachRuleRefusesWhatItShould(String message, Consumer<TraefikHAClusterSpec> breakIt) {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        breakIt.accept(spec);

        assertThat(failedRules(spec)).anySatisfy(m -> assertThat(m).contains(message));
        assertThat(SpecValidator.validate(spec)).as("the Java validator refuses it too").isNotEmpty();
    }

    @Test
    void aLargeEnoughWeightPassesTheRule() {
        TraefikHAClusterSpec spec = ExampleSpecs.homelab().getSpec();
        spec.healthCheck.weight = 12;
        assertThat(failedRules(spec)).isEmpty();
    }

    /** Messages of the rules (and schema checks) that refuse the spec. */
    private static List<String> failedRules(TraefikHAClusterSpec spec) {
        return CRD.admitSpec(JSON.valueToTree(spec)).messages();
    }

    private static Arguments broken(String message, Consumer<TraefikHAClusterSpec> change) {
        return Arguments.of(message, change);
    }
}
