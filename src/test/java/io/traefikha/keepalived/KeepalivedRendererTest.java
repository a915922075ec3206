package io.traefikha.keepalived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.traefikha.api.v1alpha1.ContainerSpec;
import io.traefikha.api.v1alpha1.SpecValidator;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of every rendered variant. After an intended change, regenerate with
 * {@code ./mvnw test -Dtest=KeepalivedRendererTest -Dgolden.update=true} and review the diff.
 */
class KeepalivedRendererTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/keepalived");

    /** Every variant the renderer has a branch for; the e2e config test runs keepalived -t on each of them. */
    public static Map<String, UnaryOperator<TraefikHAClusterSpec>> variants() {
        return Map.of(
                "default", spec -> spec,
                "seed-timing-v2", ClusterSpecs::seedTiming,
                "multicast-nopreempt", spec -> {
                    spec.vip.unicast = false;
                    spec.vip.preempt = false;
                    spec.healthCheck.trackProcess = false;
                    spec.healthCheck.minRouters = 0;
                    return spec;
                },
                "dual-stack", ClusterSpecs::dualStack,
                "dual-stack-multicast", spec -> {
                    ClusterSpecs.dualStack(spec).vip.unicast = false;
                    return spec;
                },
                "preempt-delay-webhook", spec -> {
                    spec.vip.preemptDelay = "30s";
                    spec.vip.notifyWebhookUrl = "http://ntfy.internal:8080/traefik-ha";
                    spec.healthCheck.weight = -150;
                    return spec;
                });
    }

    /** The fixed password golden files carry; real ones come from {@link VrrpPassword#generate()}. */
    public static String passwordFor(TraefikHAClusterSpec spec) {
        return spec.vip.version == 2 ? "Gold3nPw" : null;
    }

    static List<Role> roles() {
        return Role.pair();
    }

    static List<String> variantNames() {
        return variants().keySet().stream().sorted().toList();
    }

    @ParameterizedTest
    @MethodSource("variantNames")
    void rendersTheGoldenFiles(String variant) throws IOException {
        TraefikHAClusterSpec spec = variants().get(variant).apply(ClusterSpecs.homelab());
        assertThat(SpecValidator.validate(spec)).as("the variant is a valid spec").isEmpty();
        for (Role role : Role.pair()) {
            KeepalivedFiles files = KeepalivedRenderer.render(spec, "homelab", role, passwordFor(spec));
            String prefix = variant + "/" + role.label() + "-";
            assertGolden(prefix + "keepalived.conf", files.keepalivedConf());
            assertGolden(prefix + "check.sh", files.checkScript());
            assertGolden(prefix + "notify.sh", files.notifyScript());
            assertGolden(prefix + "notify-webhook.curl", files.notifyWebhook());
            if (spec.healthCheck.trackProcess) {
                assertGolden(prefix + "traefik-hook.sh", new String(files.traefikHook().content(), StandardCharsets.UTF_8));
                assertGolden(prefix + "traefik-dropin.conf", new String(files.dropIn().content(), StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * A stopped Traefik unit weighs as much as a failed check, always downwards; the drop-in sits on the unit the spec
     * names and runs the hook as root; without trackProcess neither file is written and nothing is tracked.
     */
    @Test
    void aStoppedTraefikUnitTakesTheClaimAwayLikeAFailedCheck() {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        spec.traefik.serviceName = "traefik-proxy.service";
        spec.healthCheck.weight = 60;
        spec.vip.priorities.primary = 150;
        spec.vip.priorities.secondary = 100;
        KeepalivedFiles files = KeepalivedRenderer.render(spec, "homelab", Role.PRIMARY, null);

        assertThat(files.keepalivedConf()).contains("file \"" + KeepalivedPaths.TRAEFIK_STOPPED + "\"")
                .contains("traefik_ha_stopped weight -60");
        assertThat(files.dropIn().path()).isEqualTo("/etc/systemd/system/traefik-proxy.service.d/traefik-ha.conf");
        assertThat(new String(files.dropIn().content(), StandardCharsets.UTF_8))
                .contains("ExecStopPost=-+" + KeepalivedPaths.TRAEFIK_HOOK + " stopped")
                .contains("ExecStartPost=-+" + KeepalivedPaths.TRAEFIK_HOOK + " started");
        assertThat(files.remoteFiles()).extracting(f -> f.path()).containsSubsequence(KeepalivedPaths.TRAEFIK_HOOK,
                files.dropIn().path(), KeepalivedPaths.CONFIG);

        spec.traefik.serviceName = "traefik@edge";
        assertThat(KeepalivedRenderer.render(spec, "homelab", Role.PRIMARY, null).dropIn().path())
                .as("a template unit's instance").isEqualTo("/etc/systemd/system/traefik@edge.service.d/traefik-ha.conf");

        spec.healthCheck.trackProcess = false;
        KeepalivedFiles without = KeepalivedRenderer.render(spec, "homelab", Role.PRIMARY, null);
        assertThat(without.keepalivedConf()).doesNotContain("track_file");
        assertThat(without.remoteFiles()).extracting(f -> f.path()).doesNotContain(KeepalivedPaths.TRAEFIK_HOOK,
                files.dropIn().path());
    }

    /** A webhook URL (from the spec or its Secret) is only in the root-only curl config: not in a script, not in ps. */
    @Test
    void theWebhookUrlIsOnlyInTheRootOnlyCurlConfig() {
        String url = "https://ntfy.example.com/traefik-ha?auth=s3cr3t-t0ken";
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        spec.vip.notifyWebhookSecretRef = new io.traefikha.api.v1alpha1.SecretRef("webhook");

        KeepalivedFiles files = KeepalivedRenderer.render(spec, "homelab", Role.PRIMARY, passwordFor(spec),
                java.util.Optional.empty(), url);

        assertThat(files.notifyWebhook()).endsWith("\nurl = \"" + url + "\"\n");
        assertThat(files.notifyScript()).doesNotContain("s3cr3t").contains("--config " + KeepalivedPaths.NOTIFY_WEBHOOK);
        assertThat(files.keepalivedConf()).doesNotContain("s3cr3t");
        assertThat(files.remoteFiles()).filteredOn(f -> new String(f.content(), StandardCharsets.UTF_8).contains("s3cr3t"))
                .singleElement().satisfies(f -> {
                    assertThat(f.path()).isEqualTo(KeepalivedPaths.NOTIFY_WEBHOOK);
                    assertThat(f.mode()).isEqualTo(0600);
                    assertThat(f.owner()).isEqualTo("root");
                });
        assertThat(files.toString()).doesNotContain("s3cr3t");
        assertThatThrownBy(() -> KeepalivedRenderer.render(spec, "homelab", Role.PRIMARY, passwordFor(spec),
                java.util.Optional.empty(), "https://x/\"\nurl = \"file:///etc/shadow"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("shadow");
    }

    @ParameterizedTest
    @MethodSource("roles")
    void aFailedCheckOnTheMasterHandsOverInEveryVariant(Role role) {
        for (String variant : variantNames()) {
            TraefikHAClusterSpec spec = variants().get(variant).apply(ClusterSpecs.homelab());
            int gap = spec.vip.priorities.primary - spec.vip.priorities.secondary;
            int weight = spec.healthCheck.weight;
            // weight 0 means FAULT on failure; otherwise the failed primary must drop below the healthy secondary.
            assertThat(weight == 0 || Math.abs(weight) > gap).as(variant).isTrue();
            String conf = KeepalivedRenderer.render(spec, "homelab", role, passwordFor(spec)).keepalivedConf();
            assertThat(conf).as(variant).contains("weight " + weight).contains("track_script");
        }
    }

    /** Beyond a pair: each replica advertises to every other one, in both families, with the priority it is given. */
    @Test
    void withThreeReplicasEachAdvertisesToBothOthers() {
        TraefikHAClusterSpec spec = ClusterSpecs.dualStack(ClusterSpecs.homelab());
        ContainerSpec third = new ContainerSpec();
        third.hostname = "traefik-3";
        third.address = "192.168.1.112/24";
        third.address6 = "fd00:1::112/64";
        VrrpNode node = new VrrpNode("secondary-2", third, 230, false, false, List.of(spec.primary, spec.secondary));

        String conf = KeepalivedRenderer.render(spec, "homelab", node, null, null, null).keepalivedConf();

        assertThat(conf).contains("(secondary-2)").contains("router_id traefik-3").contains("state BACKUP")
                .contains("priority 230\n")
                .contains("unicast_src_ip 192.168.1.112\n    unicast_peer {\n        192.168.1.110\n        192.168.1.111\n    }")
                .contains("unicast_src_ip fd00:1::112\n    unicast_peer {\n        fd00:1::110\n        fd00:1::111\n    }");
        assertThat(KeepalivedRenderer.render(spec, "homelab", Role.SECONDARY, null).keepalivedConf())
                .as("a pair's node: the other one alone")
                .contains("unicast_peer {\n        192.168.1.110\n    }").contains("unicast_peer {\n        fd00:1::110\n    }");
    }

    /** The IPv6 instance may never disagree with the IPv4 one about the holder: same priority, tracking and preemption. */
    @ParameterizedTest
    @MethodSource("roles")
    void theIpv6InstanceMirrorsTheIpv4OneInEveryHandover(Role role) {
        TraefikHAClusterSpec spec = ClusterSpecs.dualStack(ClusterSpecs.homelab());
        spec.vip.preemptDelay = "30s";
        for (java.util.Optional<Role> pinned : List.of(java.util.Optional.<Role>empty(), java.util.Optional.of(Role.PRIMARY),
                java.util.Optional.of(Role.SECONDARY))) {
            String conf = KeepalivedRenderer.render(spec, "homelab", role, null, pinned).keepalivedConf();
            String ipv4 = conf.substring(conf.indexOf("vrrp_instance traefik_ha {"), conf.indexOf("vrrp_instance traefik_ha6"));
            String ipv6 = conf.substring(conf.indexOf("vrrp_instance traefik_ha6"), conf.indexOf("vrrp_sync_group"));
            for (String key : List.of("state", "virtual_router_id", "priority", "advert_int", "preempt_delay", "nopreempt")) {
                assertThat(lines(ipv6, key)).as(role + " pinned " + pinned + ": " + key).isEqualTo(lines(ipv4, key));
            }
            assertThat(trackScript(ipv6)).as(role + " pinned " + pinned).isEqualTo(trackScript(ipv4)).contains("traefik_ha_check");
            assertThat(ipv6).contains("unicast_src_ip " + (role == Role.PRIMARY ? "fd00:1::110" : "fd00:1::111"))
                    .contains("fd00:1::100/64 dev eth0").doesNotContain("192.168.1.");
            assertThat(conf).contains("sync_group_tracking_weight");
        }
    }

    private static String trackScript(String block) {
        int start = block.indexOf("track_script {");
        return block.substring(start, block.indexOf("    }\n", start));
    }

    private static List<String> lines(String block, String key) {
        return block.lines().map(String::strip).filter(line -> line.startsWith(key + " ") || line.equals(key)).toList();
    }

    @Test
    void theNotifyScriptNeverTouchesTraefik() {
        for (String variant : variantNames()) {
            TraefikHAClusterSpec spec = variants().get(variant).apply(ClusterSpecs.homelab());
            String notify = KeepalivedRenderer.render(spec, "homelab", Role.PRIMARY, passwordFor(spec)).notifyScript();
            assertThat(notify.lines().filter(line -> !line.startsWith("#")))
                    .as(variant).noneMatch(line -> line.contains("systemctl") || line.contains("traefik "));
        }
    }

    @Test
    void refusesAPasswordKeepalivedWouldTruncateAndAnyPasswordWithVersion3() {
        TraefikHAClusterSpec v2 = ClusterSpecs.seedTiming(ClusterSpecs.homelab());
        assertThatThrownBy(() -> KeepalivedRenderer.render(v2, "homelab", Role.PRIMARY, "0123456789abcdef"))
                .hasMessageContaining("16 characters").hasMessageNotContaining("0123456789abcdef");
        assertThatThrownBy(() -> KeepalivedRenderer.render(v2, "homelab", Role.PRIMARY, null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> KeepalivedRenderer.render(ClusterSpecs.homelab(), "homelab", Role.PRIMARY, "secret12"))
                .hasMessageContaining("no authentication");
    }

    @Test
    void generatedPasswordsAreEightUsableCharacters() {
        for (int i = 0; i < 100; i++) {
            String password = VrrpPassword.generate();
            assertThat(password).hasSize(8);
            assertThat(VrrpPassword.problem(password)).isEmpty();
        }
    }

    @Test
    void renderingIsAPureFunctionOfItsInputs() {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        assertThat(KeepalivedRenderer.render(spec, "homelab", Role.SECONDARY, null))
                .isEqualTo(KeepalivedRenderer.render(ClusterSpecs.homelab(), "homelab", Role.SECONDARY, null));
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file " + name + " (create it with -Dgolden.update=true)").exists();
        assertThat(actual).as(name).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
