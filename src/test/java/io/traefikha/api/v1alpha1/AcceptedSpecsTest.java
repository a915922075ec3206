package io.traefikha.api.v1alpha1;

import static io.traefikha.api.v1alpha1.HarmfulSpecsTest.YAML;
import static io.traefikha.api.v1alpha1.HarmfulSpecsTest.exampleSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.traefikha.demo.DemoTiming;
import io.traefikha.demo.kubeapi.CrdAdmission;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The other direction of {@link HarmfulSpecsTest}: every spec a user is shown (the example, the README's, the demo's)
 * and each of them with an optional block left out must pass the API server ({@link CrdAdmission}: schema and CEL rules
 * with defaults applied first, as kube-apiserver judges them) and the operator's {@link SpecValidator}.
 */
class AcceptedSpecsTest {

    private static final CrdAdmission CRD = CrdAdmission.checkedIn();
    private static final Path README = Path.of("README.md");
    /** Blocks that stay required while dns.provider names them; leaving them out is refused on purpose. */
    /**
     * Blocks that stay required while dns.provider names them, and spec.secondary while spec.secondaries is not given;
     * leaving them out is refused on purpose.
     */
    private static final List<String> REQUIRED_BY_PROVIDER = List.of("spec.dns.adguard", "spec.dns.rfc2136",
            "spec.secondary");
    /** The example's secondary and a third replica on proxmox3, as spec.secondaries lists them. */
    static final String THREE_REPLICAS = "[{node: proxmox2, vmid: 111, hostname: traefik-2, address: 192.168.1.111/24},"
            + " {node: proxmox3, vmid: 112, hostname: traefik-3, address: 192.168.1.112/24}]";

    static Stream<Arguments> validSpecs() {
        List<Arguments> specs = new ArrayList<>();
        specs.add(spec("deploy/examples/traefikhacluster.yaml", exampleSpec()));
        specs.add(spec("the README's TraefikHACluster", readmeResource()));
        for (JsonNode patch : readmeMergePatches()) {
            ObjectNode spec = exampleSpec();
            mergePatch(spec, patch.get("spec"));
            specs.add(spec("the example after the README's kubectl patch " + patch, spec));
        }
        specs.add(spec("the example with the README's drill block", withReadmeDrill()));
        specs.add(spec("the demo's resource", demoSpec()));
        for (String block : optionalBlocks(exampleSpec(), CRD.specSchema(), "spec")) {
            ObjectNode spec = exampleSpec();
            removeAt(spec, block);
            specs.add(spec("the example without " + block, spec));
        }
        ObjectNode minimal = exampleSpec();
        optionalBlocks(minimal, CRD.specSchema(), "spec").forEach(block -> removeAt(minimal, block));
        specs.add(spec("the example without any optional block", minimal));
        ObjectNode weightWithoutPriorities = exampleSpec();
        ((ObjectNode) weightWithoutPriorities.get("vip")).remove("priorities");
        ((ObjectNode) weightWithoutPriorities.get("healthCheck")).put("weight", -150);
        specs.add(spec("vip.priorities omitted with healthCheck.weight -150 (once 'no such key: priorities')",
                weightWithoutPriorities));
        ObjectNode dualStack = exampleSpec();
        HarmfulSpecsTest.all(HarmfulSpecsTest.dualStackNodes(),
                HarmfulSpecsTest.yaml("vip.addresses", "[192.168.1.100/24, 'fd00:1:0:0::100/64']")).accept(dualStack);
        specs.add(spec("a dual-stack VIP: vip.address repeated in vip.addresses beside an IPv6 VIP", dualStack));
        ObjectNode ipv6Multicast = exampleSpec();
        HarmfulSpecsTest.all(HarmfulSpecsTest.set("vip.unicast", false),
                HarmfulSpecsTest.yaml("vip.addresses", "['2001:db8::100/64']")).accept(ipv6Multicast);
        specs.add(spec("an IPv6 VIP with multicast adverts, no node IPv6 addresses needed", ipv6Multicast));
        ObjectNode threeReplicas = exampleSpec();
        HarmfulSpecsTest.all(HarmfulSpecsTest.remove("secondary"), HarmfulSpecsTest.yaml("secondaries", THREE_REPLICAS))
                .accept(threeReplicas);
        specs.add(spec("three replicas: spec.secondaries with two entries instead of spec.secondary", threeReplicas));
        ObjectNode thirdMaintained = exampleSpec();
        HarmfulSpecsTest.threeReplicas(HarmfulSpecsTest.yaml("maintenance", "{node: secondary-2}")).accept(thirdMaintained);
        specs.add(spec("the maintenance of the third replica, secondary-2", thirdMaintained));
        ObjectNode oneListed = exampleSpec();
        HarmfulSpecsTest.all(HarmfulSpecsTest.remove("secondary"), HarmfulSpecsTest.yaml("secondaries",
                "[{node: proxmox2, vmid: 111, hostname: traefik-2, address: 192.168.1.111/24}]")).accept(oneListed);
        specs.add(spec("a pair written as spec.secondaries with one entry", oneListed));
        return specs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSpecs")
    void isAcceptedByTheApiServerAndTheOperator(String what, ObjectNode spec) {
        assertThat(CRD.admitSpec(spec).messages()).as("the API server's errors").isEmpty();
        assertThat(SpecValidator.validate(HarmfulSpecsTest.operatorView(spec).getSpec())).as("the operator's violations").isEmpty();
    }

    private static Arguments spec(String what, ObjectNode spec) {
        return Arguments.of(what, spec);
    }

    /**
     * Dotted paths of the object-valued fields the example sets that the schema does not require, outermost first
     * (a block inside a removed block goes with it).
     */
    private static List<String> optionalBlocks(JsonNode value, JSONSchemaProps schema, String path) {
        List<String> blocks = new ArrayList<>();
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        value.fields().forEachRemaining(field -> {
            JSONSchemaProps child = schema.getProperties().get(field.getKey());
            String childPath = path + "." + field.getKey();
            if (field.getValue().isObject() && child != null) {
                if (!required.contains(field.getKey()) && !REQUIRED_BY_PROVIDER.contains(childPath)) {
                    blocks.add(childPath);
                }
                blocks.addAll(optionalBlocks(field.getValue(), child, childPath));
            }
        });
        return blocks;
    }

    private static void removeAt(ObjectNode spec, String path) {
        String[] names = path.substring("spec.".length()).split("\\.");
        JsonNode parent = spec;
        for (int i = 0; i < names.length - 1 && parent != null; i++) {
            parent = parent.get(names[i]);
        }
        if (parent instanceof ObjectNode object) {
            object.remove(names[names.length - 1]);
        }
    }

    private static ObjectNode readmeResource() {
        return (ObjectNode) readmeYamlBlocks().stream().filter(b -> b.has("kind") && "TraefikHACluster".equals(b.get("kind").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("README.md shows no TraefikHACluster")).get("spec");
    }

    private static ObjectNode withReadmeDrill() {
        JsonNode drill = readmeYamlBlocks().stream().filter(b -> b.has("spec") && b.get("spec").has("drill")).findFirst()
                .orElseThrow(() -> new AssertionError("README.md shows no spec.drill")).get("spec");
        ObjectNode spec = exampleSpec();
        mergePatch(spec, drill);
        return spec;
    }

    private static List<JsonNode> readmeYamlBlocks() {
        List<JsonNode> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("(?s)```yaml\\n(.*?)```").matcher(readme());
        while (block.find()) {
            try {
                blocks.add(YAML.readTree(block.group(1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return blocks;
    }

    /** The JSON merge patches of the README's {@code kubectl patch --type merge} commands. */
    private static List<JsonNode> readmeMergePatches() {
        List<JsonNode> patches = new ArrayList<>();
        Matcher patch = Pattern.compile("(?s)--type merge -p '(\\{.*?\\})'").matcher(readme());
        while (patch.find()) {
            try {
                patches.add(YAML.readTree(patch.group(1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(patches).as("the README's kubectl patch commands").isNotEmpty();
        return patches;
    }

    private static String readme() {
        try {
            return Files.readString(README);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 7386: objects merge, null removes, anything else replaces. */
    private static void mergePatch(ObjectNode target, JsonNode patch) {
        patch.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode nested) {
                mergePatch(nested, value);
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        });
    }

    /**
     * The resource the demo applies: the example with the URLs and fingerprint of its simulators and a DNS soak time of
     * seconds (io.traefikha.demo.DemoExamples), here with the values of simulators started for the purpose.
     */
    private static ObjectNode demoSpec() {
        try (ProxmoxSimulator proxmox = ProxmoxSimulator.homelab().start();
                AdGuardHomeSimulator adguard = AdGuardHomeSimulator.builder().start()) {
            ObjectNode spec = exampleSpec();
            mergePatch(spec, YAML.valueToTree(Map.of(
                    "proxmox", Map.of("url", proxmox.baseUrl(), "tls", Map.of("fingerprint", proxmox.fingerprint())),
                    "dns", Map.of("adguard", Map.of("url", adguard.url()),
                            "soakTime", DemoTiming.lively().dnsSoakTime().toSeconds() + "s"))));
            return spec;
        }
    }
}
