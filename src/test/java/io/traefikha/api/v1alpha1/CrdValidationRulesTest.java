package io.traefikha.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evaluates every CEL rule (x-kubernetes-validations) of the checked-in CRD the way a Kubernetes API server does: on
 * the object at the rule's place in the resource, with the strings extension. The test API server does not run them,
 * so this is where a rule that does not compile, or that refuses the example, is caught.
 */
class CrdValidationRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .build();

    private static List<Rule> rules;

    record Rule(List<String> path, String expression, String message) {
    }

    @BeforeAll
    static void loadRules() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("crds/traefikhaclusters.traefikha.io-v1.yml"))) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            rules = new ArrayList<>();
            collect(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), List.of(), rules);
        }
    }

    @Test
    void everyRuleCompilesAndTheExampleSatisfiesAll() {
        assertThat(rules).hasSizeGreaterThanOrEqualTo(9);
        assertThat(failedRules(ExampleSpecs.homelab().getSpec())).isEmpty();
    }

    static Stream<Arguments> brokenSpecs() {
        return Stream.of(
                broken("secondary.vmid must differ", s -> s.secondary.vmid = s.primary.vmid),
                broken("secondary.address must differ", s -> s.secondary.address = "192.168.1.110/16"),
                broken("vip.address must differ", s -> s.vip.address = "192.168.1.111/24"),
                broken("healthCheck.weight must be 0 or larger", s -> s.healthCheck.weight = -20),
                broken("at most one of tls", s -> s.proxmox.tls.insecureSkipVerify = true),
                broken("vip.priorities.primary must be higher", s -> s.vip.priorities.primary = 90),
                broken("below 1s needs vip.version 3", s -> s.vip.version = 2),
                broken("sync.paths must be absolute", s -> s.sync.paths = List.of("/etc/traefik", "etc")),
                broken("dns.adguard is required", s -> s.dns.adguard = null),
                broken("dns.rfc2136 is required", s -> s.dns.provider = DnsSpec.DnsProvider.RFC2136));
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
        spec.healthCheck.weight = 150;
        assertThat(failedRules(spec)).isEmpty();
    }

    private static List<String> failedRules(TraefikHAClusterSpec spec) {
        Map<String, Object> resource = Map.of("spec", celValue(JSON.valueToTree(spec)));
        List<String> failed = new ArrayList<>();
        for (Rule rule : rules) {
            Object self = at(resource, rule.path());
            if (self == null) {
                continue; // the API server only runs a rule where its field is present
            }
            try {
                Object result = CEL.createProgram(CEL.compile(rule.expression()).getAst()).eval(Map.of("self", self));
                if (!Boolean.TRUE.equals(result)) {
                    failed.add(rule.message());
                }
            } catch (Exception e) {
                throw new AssertionError("rule at " + rule.path() + " failed to compile or run: " + rule.expression(), e);
            }
        }
        return failed;
    }

    private static void collect(JSONSchemaProps schema, List<String> path, List<Rule> into) {
        if (schema.getXKubernetesValidations() != null) {
            schema.getXKubernetesValidations().forEach(v -> into.add(new Rule(path, v.getRule(), v.getMessage())));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> {
                List<String> childPath = new ArrayList<>(path);
                childPath.add(name);
                collect(child, childPath, into);
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> root, List<String> path) {
        Object current = root;
        for (String name : path) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(name)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(name);
        }
        return current;
    }

    /** JSON as CEL sees it: integers are int64, absent fields absent (not null). */
    private static Object celValue(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    map.put(e.getKey(), celValue(e.getValue()));
                }
            });
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(celValue(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }

    private static Arguments broken(String message, Consumer<TraefikHAClusterSpec> change) {
        return Arguments.of(message, change);
    }
}
