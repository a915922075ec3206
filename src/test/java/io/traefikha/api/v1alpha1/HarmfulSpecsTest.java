package io.traefikha.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.traefikha.demo.kubeapi.CrdAdmission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a tired person types at 2 a.m., each a small change to deploy/examples/traefikhacluster.yaml as written (fields
 * omitted stay omitted). Every row must be refused by the operator ({@link SpecValidator}) with a violation naming the
 * field; the row also says whether a real API server refuses it already ({@link CrdAdmission}: the checked-in CRD's
 * schema and CEL rules, defaults applied first). The specs users apply and their shorter forms are proven accepted by
 * both in {@link AcceptedSpecsTest}.
 */
class HarmfulSpecsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CrdAdmission CRD = CrdAdmission.checkedIn();
    private static final List<String> TABLE = Collections.synchronizedList(new ArrayList<>());

    /** What kube-apiserver does with the row. */
    enum Api {
        REFUSES,
        ADMITS
    }

    static Stream<Arguments> harmful() {
        return Stream.of(
                // Addresses: one LAN, host addresses only.
                row("VIP typed in the neighbouring subnet", "spec.vip.address", Api.REFUSES, set("vip.address", "192.168.2.100/24")),
                row("secondary address with a digit too many", "spec.secondary.address", Api.REFUSES,
                        set("secondary.address", "192.168.11.111/24")),
                row("primary on another LAN than the gateway", "spec.primary.address", Api.REFUSES,
                        set("primary.address", "10.0.0.110/24")),
                row("gateway of another LAN", "spec.network.gateway", Api.REFUSES, set("network.gateway", "192.168.0.1")),
                row("VIP is the router", "spec.vip.address", Api.REFUSES, set("vip.address", "192.168.1.1/24")),
                row("secondary is the router", "spec.secondary.address", Api.REFUSES, set("secondary.address", "192.168.1.1/24")),
                row("VIP is the network address", "spec.vip.address", Api.REFUSES, set("vip.address", "192.168.1.0/24")),
                row("VIP is the broadcast address", "spec.vip.address", Api.REFUSES, set("vip.address", "192.168.1.255/24")),
                row("VIP as /32, the keepalived habit", "spec.vip.address", Api.REFUSES, set("vip.address", "192.168.1.100/32")),
                row("secondary with /16, the others /24", "spec.secondary.address", Api.REFUSES,
                        set("secondary.address", "192.168.1.111/16")),
                row("gateway is the network address", "spec.network.gateway", Api.REFUSES, set("network.gateway", "192.168.1.0")),
                row("gateway is the broadcast address", "spec.network.gateway", Api.REFUSES, set("network.gateway", "192.168.1.255")),
                row("gateway 0.0.0.0, the 'any' address", "spec.network.gateway", Api.REFUSES, set("network.gateway", "0.0.0.0")),
                row("gateway a multicast address", "spec.network.gateway", Api.REFUSES, set("network.gateway", "224.0.0.18")),
                row("gateway with a prefix length", "spec.network.gateway", Api.REFUSES, set("network.gateway", "192.168.1.1/24")),
                row("gateway left empty", "spec.network.gateway", Api.REFUSES, set("network.gateway", null)),
                row("a /30: no room for four addresses", "spec.primary.address", Api.REFUSES, all(
                        set("primary.address", "192.168.1.110/30"), set("secondary.address", "192.168.1.111/30"),
                        set("vip.address", "192.168.1.109/30"), set("network.gateway", "192.168.1.108"))),
                row("/2 instead of /24 everywhere", "spec.primary.address", Api.REFUSES, all(
                        set("primary.address", "192.168.1.110/2"), set("secondary.address", "192.168.1.111/2"),
                        set("vip.address", "192.168.1.100/2"))),
                row("VIP without prefix length", "spec.vip.address", Api.REFUSES, set("vip.address", "192.168.1.100")),
                row("VIP with a zero-padded octet", "spec.vip.address", Api.REFUSES, set("vip.address", "192.168.001.100/24")),
                row("VIP on the primary", "spec.vip.address", Api.REFUSES, set("vip.address", "192.168.1.110/24")),
                // A dual-stack VIP: vip.address is the IPv4 one, one IPv6 VIP beside it, the nodes' IPv6 peers.
                row("IPv6 VIP without the nodes' IPv6 addresses", "spec.primary.address6", Api.REFUSES,
                        yaml("vip.addresses", "['fd00:1::100/64']")),
                row("two IPv6 VIPs", "spec.vip.addresses", Api.REFUSES, all(dualStackNodes(),
                        yaml("vip.addresses", "['fd00:1::100/64', 'fd00:1::101/64']"))),
                row("an IPv4 entry that is not vip.address", "spec.vip.addresses[0]", Api.REFUSES, all(dualStackNodes(),
                        yaml("vip.addresses", "[192.168.1.101/24, 'fd00:1::100/64']"))),
                row("IPv6 VIP with VRRPv2", "spec.vip.version", Api.REFUSES, all(dualStackNodes(),
                        set("vip.version", 2), set("vip.advertInterval", "1s"), yaml("vip.addresses", "['fd00:1::100/64']"))),
                row("IPv6 VIP without prefix length", "spec.vip.addresses[0]", Api.REFUSES, all(dualStackNodes(),
                        yaml("vip.addresses", "['fd00:1::100']"))),
                row("IPv6 VIP with a colon too many", "spec.vip.addresses[0]", Api.ADMITS, all(dualStackNodes(),
                        yaml("vip.addresses", "['fd00:::100/64']"))),
                row("IPv6 VIP link-local", "spec.vip.addresses[0]", Api.ADMITS, all(dualStackNodes(),
                        yaml("vip.addresses", "['fe80::100/64']"))),
                row("secondary's IPv6 address in another /64", "spec.secondary.address6", Api.ADMITS, all(dualStackNodes(),
                        set("secondary.address6", "fd00:2::111/64"), yaml("vip.addresses", "['fd00:1::100/64']"))),
                row("IPv6 VIP on the primary", "spec.primary.address6", Api.ADMITS, all(dualStackNodes(),
                        yaml("vip.addresses", "['fd00:1::110/64']"))),
                // What the sync may overwrite on the secondary.
                row("sync the whole file system", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/]")),
                row("sync /etc", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/etc]")),
                row("sync /var", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/var]")),
                row("sync /root", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/root]")),
                row("sync /opt", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/opt]")),
                row("sync /etc/ with a trailing slash", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/etc/]")),
                row("relative path", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[etc/traefik]")),
                row("climbing out with ..", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/etc/traefik/../../etc]")),
                row("double slash", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/etc//traefik]")),
                row("the traefik binary's directory", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/usr/local/bin/traefik]")),
                row("the operator's own files", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/etc/traefik-ha]")),
                row("a runtime directory", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/run/traefik]")),
                row("another program's configuration", "spec.sync.paths[0]", Api.REFUSES, yaml("sync.paths", "[/etc/nginx]")),
                row("a path listed twice", "spec.sync.paths[1]", Api.REFUSES, yaml("sync.paths", "[/etc/traefik, /etc/traefik]")),
                row("a path inside another", "spec.sync.paths[1]", Api.REFUSES,
                        yaml("sync.paths", "[/etc/traefik, /etc/traefik/dynamic]")),
                row("static configuration outside the synced tree", "spec.sync.staticConfig[0]", Api.REFUSES,
                        yaml("sync.staticConfig", "[/etc/traefik.yml]")),
                // DNS names: under the domain, RFC 1123, each once.
                row("a public name pointed at the VIP", "spec.dns.records[0]", Api.REFUSES, yaml("dns.records", "[google.com]")),
                row("the domain without its first label", "spec.dns.records[1]", Api.REFUSES,
                        yaml("dns.records", "[traefik, grafana.lakehouse.wtf]")),
                row("a wildcard", "spec.dns.records[0]", Api.REFUSES, yaml("dns.records", "['*.internal.lakehouse.wtf']")),
                row("an upper-case name", "spec.dns.records[0]", Api.REFUSES, yaml("dns.records", "[Grafana]")),
                row("an underscore", "spec.dns.records[0]", Api.REFUSES, yaml("dns.records", "[uptime_kuma]")),
                row("a label of 64 characters", "spec.dns.records[0]", Api.REFUSES, yaml("dns.records", "[" + "a".repeat(64) + "]")),
                row("a name listed twice", "spec.dns.records[8]", Api.REFUSES,
                        yaml("dns.records", "[traefik, memos, hoarder, gitops, pairdrop, grafana, uptime-kuma, influxdb, memos]")),
                row("a name listed short and long", "spec.dns.records[8]", Api.ADMITS, yaml("dns.records",
                        "[traefik, memos, hoarder, gitops, pairdrop, grafana, uptime-kuma, influxdb, memos.internal.lakehouse.wtf]")),
                row("a name in two phases", "spec.dns.phases[2].records", Api.ADMITS,
                        yaml("dns.phases[2].records", "[grafana, uptime-kuma, influxdb, memos]")),
                row("a phase naming an unlisted record", "spec.dns.phases[0].records", Api.ADMITS,
                        yaml("dns.phases[0].records", "[traefik, jellyfin]")),
                row("two phases of one name", "spec.dns.phases[1].name", Api.REFUSES, set("dns.phases[1].name", "pilot")),
                row("records without the domain", "spec.dns.domain", Api.REFUSES, remove("dns.domain")),
                row("an RFC 2136 zone that does not hold the domain", "spec.dns.domain", Api.REFUSES, all(
                        set("dns.provider", "RFC2136"), remove("dns.adguard"),
                        yaml("dns.rfc2136", "{server: 192.168.1.53, zone: example.org, tsigSecretRef: {name: tsig}}"))),
                // Numbers and durations with bounds.
                row("router id 256", "spec.vip.virtualRouterId", Api.REFUSES, set("vip.virtualRouterId", 256)),
                row("VRRP version 4", "spec.vip.version", Api.REFUSES, set("vip.version", 4)),
                row("primary priority 255 (reserved for the address owner)", "spec.vip.priorities.primary", Api.REFUSES,
                        set("vip.priorities.primary", 255)),
                row("priorities the wrong way round", "spec.vip.priorities", Api.REFUSES, all(
                        set("vip.priorities.primary", 100), set("vip.priorities.secondary", 200))),
                row("the runbook's weight -20 with its priorities 200/100", "spec.healthCheck.weight", Api.REFUSES, all(
                        set("vip.priorities.primary", 200), set("vip.priorities.secondary", 100), set("healthCheck.weight", -20))),
                row("weight -5 with the priorities left out (default gap 10)", "spec.healthCheck.weight", Api.REFUSES,
                        all(remove("vip.priorities"), set("healthCheck.weight", -5))),
                row("weight +200 lifts both nodes to the cap", "spec.healthCheck.weight", Api.REFUSES, set("healthCheck.weight", 200)),
                row("check interval below a second", "spec.healthCheck.interval", Api.REFUSES, set("healthCheck.interval", "500ms")),
                row("check timeout of 1.5s", "spec.healthCheck.timeout", Api.REFUSES, set("healthCheck.timeout", "1.5s")),
                row("adverts every 5ms", "spec.vip.advertInterval", Api.REFUSES, set("vip.advertInterval", "5ms")),
                row("adverts every 105ms (VRRPv3 counts in 10ms)", "spec.vip.advertInterval", Api.ADMITS,
                        set("vip.advertInterval", "105ms")),
                row("VRRPv2 with 1500ms adverts", "spec.vip.advertInterval", Api.REFUSES, all(
                        set("vip.version", 2), set("vip.advertInterval", "1500ms"))),
                row("preempt delay of half an hour", "spec.vip.preemptDelay", Api.REFUSES, set("vip.preemptDelay", "30m")),
                row("a soak time of 11 digits of hours", "spec.dns.soakTime", Api.ADMITS, set("dns.soakTime", "99999999999h")),
                row("TTL 0", "spec.dns.ttl", Api.REFUSES, set("dns.ttl", 0)),
                row("SSH port 0", "spec.ssh.port", Api.REFUSES, set("ssh.port", 0)),
                row("VMID 99", "spec.primary.vmid", Api.REFUSES, set("primary.vmid", 99)),
                row("secondary VMID copied from the primary", "spec.secondary.vmid", Api.REFUSES, set("secondary.vmid", 110)),
                // More than a pair.
                row("secondary and secondaries both given", "spec.secondaries", Api.REFUSES,
                        yaml("secondaries", AcceptedSpecsTest.THREE_REPLICAS)),
                row("neither secondary nor secondaries", "spec.secondary", Api.REFUSES, remove("secondary")),
                row("a third replica with the second's VMID", "spec.secondaries[1].vmid", Api.REFUSES,
                        threeReplicas(set("secondaries[1].vmid", 111))),
                row("a third replica with the primary's address", "spec.secondaries[1].address", Api.REFUSES,
                        threeReplicas(set("secondaries[1].address", "192.168.1.110/24"))),
                row("a third replica on the VIP", "spec.vip.address", Api.REFUSES,
                        threeReplicas(set("secondaries[1].address", "192.168.1.100/24"))),
                row("a third replica off the LAN", "spec.secondaries[1].address", Api.REFUSES,
                        threeReplicas(set("secondaries[1].address", "192.168.2.112/24"))),
                row("a third replica with priority 0", "spec.vip.priorities.secondary", Api.REFUSES,
                        threeReplicas(set("vip.priorities.secondary", 10))),
                row("a weight that moves the VIP off the primary but not to the third replica", "spec.healthCheck.weight",
                        Api.REFUSES, threeReplicas(set("healthCheck.weight", -15))),
                row("an IPv6 VIP and a third replica without address6", "spec.secondaries[1].address6", Api.REFUSES,
                        threeReplicas(set("primary.address6", "fd00:1::110/64"), set("secondaries[0].address6",
                                "fd00:1::111/64"), yaml("vip.addresses", "['fd00:1::100/64']"))),
                // Everything else.
                row("Proxmox over plain http", "spec.proxmox.url", Api.REFUSES, set("proxmox.url", "http://192.168.1.137:8006")),
                row("pinned and insecure at once", "spec.proxmox.tls", Api.REFUSES, set("proxmox.tls.insecureSkipVerify", true)),
                row("maintenance of nobody", "spec.maintenance.node", Api.REFUSES, yaml("maintenance", "{}")),
                row("maintenance of a third replica a pair lacks", "spec.maintenance.node", Api.REFUSES,
                        yaml("maintenance", "{node: secondary-2}")),
                row("maintenance of a fourth replica, three given", "spec.maintenance.node", Api.REFUSES,
                        threeReplicas(yaml("maintenance", "{node: secondary-3}"))),
                row("maintenance of the tertiary", "spec.maintenance.node", Api.REFUSES,
                        yaml("maintenance", "{node: tertiary}")),
                row("a drill every monday, in words", "spec.drill.schedule", Api.ADMITS, yaml("drill", "{schedule: every monday}")),
                row("virtualRouterID in the wrong case", "spec.vip.virtualRouterId", Api.REFUSES, all(
                        remove("vip.virtualRouterId"), set("vip.virtualRouterID", 51))),
                row("https health check to the LAN address, unverified", "spec.healthCheck.url", Api.ADMITS,
                        set("healthCheck.url", "https://192.168.1.110:8443/ping")),
                row("certificate checks for a Traefik the check reaches over http", "spec.healthCheck.tls", Api.ADMITS,
                        set("healthCheck.tls.serverName", "traefik.home.example")),
                row("the private key pasted as the health check's CA", "spec.healthCheck.tls.caCertificate", Api.REFUSES, all(
                        set("healthCheck.url", "https://127.0.0.1:8443/ping"),
                        set("healthCheck.tls.caCertificate", "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"))),
                row("a CA that is base64 but no certificate", "spec.healthCheck.tls.caCertificate", Api.ADMITS, all(
                        set("healthCheck.url", "https://127.0.0.1:8443/ping"),
                        set("healthCheck.tls.caCertificate", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"))),
                row("names discovered under no domain", "spec.dns.domain", Api.REFUSES, all(remove("dns.domain"),
                        yaml("dns.records", "[]"), yaml("dns.phases", "[]"), set("dns.discover", true))),
                row("Traefik's unit given as a systemctl option", "spec.traefik.serviceName", Api.REFUSES,
                        set("traefik.serviceName", "--now")),
                row("Traefik's unit with a command after it", "spec.traefik.serviceName", Api.REFUSES,
                        set("traefik.serviceName", "traefik; reboot")),
                row("an upgrade without a command", "spec.traefik.upgrade.command", Api.REFUSES,
                        yaml("traefik", "{upgrade: {version: 3.2.1, command: ''}}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("harmful")
    void isRefusedByTheOperatorNamingTheField(String typo, String field, Api api, Consumer<ObjectNode> change) {
        ObjectNode spec = exampleSpec();
        change.accept(spec);

        CrdAdmission.Verdict verdict = CRD.admitSpec(spec);
        List<Violation> violations = SpecValidator.validate(operatorView(spec).getSpec());

        assertThat(violations).as("the operator's violations").extracting(Violation::field).contains(field);
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).isNotBlank());
        assertThat(verdict.refused()).as("refused by the API server: %s", verdict.messages()).isEqualTo(api == Api.REFUSES);
        assertThat(verdict.messages()).as("no rule may trip over an omitted field").noneMatch(e -> e.contains("no such key"));
        TABLE.add(String.format("%-8s %-52s %s", api == Api.REFUSES ? "API" : "operator", typo,
                violations.stream().filter(v -> v.field().equals(field)).findFirst().orElseThrow()));
    }

    @Test
    void atLeastFortyHarmfulSpecsAreTried() {
        assertThat(harmful().count()).isGreaterThanOrEqualTo(40);
    }

    @AfterAll
    static void printTheTable() {
        long byApi = TABLE.stream().filter(line -> line.startsWith("API")).count();
        System.out.printf("HarmfulSpecsTest: %d harmful specs refused by the operator; %d of them by the API server as well,"
                + " %d by the operator alone%n", TABLE.size(), byApi, TABLE.size() - byApi);
        TABLE.stream().sorted().forEach(line -> System.out.println("  " + line));
    }

    /** The example's spec as written, as a tree. */
    static ObjectNode exampleSpec() {
        try {
            return (ObjectNode) YAML.readTree(Files.readString(ExampleSpecs.EXAMPLE)).get("spec");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The resource as the operator reads it: pruned of unknown fields as any API server stores it, not defaulted (the
     * test API server and a cluster without the CRD's rules store it so; the Java model fills in its own defaults).
     */
    static TraefikHACluster operatorView(JsonNode spec) {
        TraefikHACluster resource = ExampleSpecs.homelab();
        ObjectNode tree = YAML.valueToTree(resource);
        tree.set("spec", CRD.pruned(spec));
        return Serialization.unmarshal(tree.toString(), TraefikHACluster.class);
    }

    private static Arguments row(String typo, String field, Api api, Consumer<ObjectNode> change) {
        return Arguments.of(typo, field, api, change);
    }

    /** Sets the field at a dotted path below spec (list items as name[i]); null writes an explicit null. */
    static Consumer<ObjectNode> set(String path, Object value) {
        return spec -> parentOf(spec, path).set(leaf(path), YAML.valueToTree(value));
    }

    /** Sets the field to a YAML value, e.g. "[/etc]" or "{schedule: '0 4 * * *'}". */
    static Consumer<ObjectNode> yaml(String path, String value) {
        return spec -> {
            try {
                parentOf(spec, path).set(leaf(path), YAML.readTree(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The nodes' IPv6 addresses a dual-stack VIP's unicast adverts need. */
    static Consumer<ObjectNode> dualStackNodes() {
        return all(set("primary.address6", "fd00:1::110/64"), set("secondary.address6", "fd00:1::111/64"));
    }

    /** The example with a third replica (spec.secondaries instead of spec.secondary), then the changes. */
    @SafeVarargs
    static Consumer<ObjectNode> threeReplicas(Consumer<ObjectNode>... changes) {
        return all(remove("secondary"), yaml("secondaries", AcceptedSpecsTest.THREE_REPLICAS), all(changes));
    }

    static Consumer<ObjectNode> remove(String path) {
        return spec -> parentOf(spec, path).remove(leaf(path));
    }

    @SafeVarargs
    static Consumer<ObjectNode> all(Consumer<ObjectNode>... changes) {
        return spec -> Stream.of(changes).forEach(change -> change.accept(spec));
    }

    private static ObjectNode parentOf(ObjectNode spec, String path) {
        JsonNode node = spec;
        String[] names = path.split("\\.");
        for (int i = 0; i < names.length - 1; i++) {
            String name = names[i];
            int index = name.indexOf('[');
            if (index >= 0) {
                node = node.get(name.substring(0, index)).get(Integer.parseInt(name.substring(index + 1, name.length() - 1)));
            } else {
                node = node.has(name) ? node.get(name) : ((ObjectNode) node).putObject(name);
            }
        }
        return (ObjectNode) node;
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
