package io.traefikha.keepalived;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.traefikha.api.v1alpha1.ContainerSpec;
import io.traefikha.api.v1alpha1.Durations;
import io.traefikha.api.v1alpha1.HealthCheckSpec;
import io.traefikha.api.v1alpha1.Patterns;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.api.v1alpha1.VipSpec;
import io.traefikha.domain.Cidr;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a node's keepalived.conf, health-check script and notify script: a pure function of the spec, the node's role
 * and the VRRP password. The spec must have passed {@link io.traefikha.api.v1alpha1.SpecValidator}, which refuses every
 * configuration in which a failed check on the MASTER would not hand the VIP over; the renderer re-checks the inputs it
 * depends on and throws {@link IllegalArgumentException} rather than render something keepalived would misread.
 *
 * <p>Qute's engine is used directly (not through CDI) so rendering works the same in the operator and in plain tests.
 */
public final class KeepalivedRenderer {

    private static final Engine ENGINE = Engine.builder().addDefaults().build();
    private static final Template CONF = load("keepalived.conf");
    private static final Template CHECK = load("check.sh");
    private static final Template NOTIFY = load("notify.sh");
    private static final Template HEARTBEAT = load("heartbeat.sh");
    private static final Template TRAEFIK_HOOK = load("traefik-hook.sh");
    private static final Template DROP_IN = load("traefik-dropin.conf");
    /** How long the hook waits for a started Traefik to answer before it gives the node's claim back anyway. */
    private static final int HOOK_START_WAIT_SECONDS = 10;

    private KeepalivedRenderer() {
    }

    /**
     * @param clusterName name of the TraefikHACluster, written into headers and webhook payloads
     * @param password    the VRRP PASS password for VRRP version 2 (see {@link VrrpPassword}); must be null for version 3,
     *                    which has no authentication
     */
    public static KeepalivedFiles render(TraefikHAClusterSpec spec, String clusterName, Role role, String password) {
        return render(spec, clusterName, role, password, Optional.empty());
    }

    /**
     * @param pinnedHolder during a VIP handover, the node that must hold the VIP: its peer's priority is lowered just
     *                     below its own, and it preempts at once (no nopreempt, no preempt_delay), so keepalived moves
     *                     the VIP gracefully. The peer keeps its health check: if the pinned node fails, the VIP still
     *                     fails over to the peer.
     */
    public static KeepalivedFiles render(TraefikHAClusterSpec spec, String clusterName, Role role, String password,
            Optional<Role> pinnedHolder) {
        return render(spec, clusterName, role, password, pinnedHolder, spec.vip.notifyWebhookUrl);
    }

    /**
     * @param webhookUrl the notify webhook's URL, from vip.notifyWebhookUrl or read from vip.notifyWebhookSecretRef;
     *                   null for none. It is written only into the root-only curl config, never into a script.
     */
    public static KeepalivedFiles render(TraefikHAClusterSpec spec, String clusterName, Role role, String password,
            Optional<Role> pinnedHolder, String webhookUrl) {
        return render(spec, clusterName, role, password, pinnedHolder, webhookUrl, null);
    }

    /**
     * @param heartbeatUrl this node's heartbeat URL, read from spec.heartbeat's Secret; null for none. Like the webhook's,
     *                     it is written only into a root-only curl config.
     */
    public static KeepalivedFiles render(TraefikHAClusterSpec spec, String clusterName, Role role, String password,
            Optional<Role> pinnedHolder, String webhookUrl, String heartbeatUrl) {
        return render(spec, clusterName, VrrpNode.of(spec, role, pinnedHolder), password, webhookUrl, heartbeatUrl);
    }

    /**
     * The files of one VRRP node, whatever the number of replicas: the node says its container, priority and peers; the
     * spec everything the nodes share (VIPs, timing, health check).
     */
    public static KeepalivedFiles render(TraefikHAClusterSpec spec, String clusterName, VrrpNode node, String password,
            String webhookUrl, String heartbeatUrl) {
        VipSpec vip = spec.vip;
        HealthCheckSpec check = spec.healthCheck;
        ContainerSpec self = node.container();
        boolean preemptImmediately = vip.preempt && vip.preemptDelay == null;
        boolean pinnedHere = node.pinned();

        Map<String, Object> data = new HashMap<>();
        data.put("clusterName", clusterName);
        data.put("clusterNameQuoted", shellQuote(clusterName));
        data.put("role", node.label());
        data.put("routerId", self.hostname);
        data.put("checkScript", KeepalivedPaths.CHECK_SCRIPT);
        data.put("notifyScript", KeepalivedPaths.NOTIFY_SCRIPT);
        data.put("checkInterval", wholeSeconds("spec.healthCheck.interval", check.interval));
        data.put("checkTimeout", wholeSeconds("spec.healthCheck.timeout", check.timeout));
        data.put("curlTimeout", wholeSeconds("spec.healthCheck.timeout", check.timeout));
        data.put("fall", check.fall);
        data.put("rise", check.rise);
        data.put("weight", check.weight);
        data.put("trackProcess", check.trackProcess);
        data.put("stoppedFile", KeepalivedPaths.TRAEFIK_STOPPED);
        // a stopped unit counts as much as a failed check, in the direction that lowers the node's claim
        data.put("stoppedWeight", -Math.abs(check.weight));
        data.put("hookScript", KeepalivedPaths.TRAEFIK_HOOK);
        data.put("startWait", HOOK_START_WAIT_SECONDS);
        // keepalived only honours nopreempt and preempt_delay when the instance starts as BACKUP; the primary's higher
        // priority still makes it MASTER once the delay has passed.
        data.put("initialState", node.primary() && preemptImmediately ? "MASTER" : "BACKUP");
        data.put("interface", spec.network.interfaceName);
        data.put("virtualRouterId", vip.virtualRouterId);
        data.put("priority", node.priority());
        data.put("vrrpVersion", vip.version);
        data.put("advertInt", advertInt(vip));
        data.put("noPreempt", !vip.preempt && !pinnedHere);
        data.put("preemptDelay", vip.preempt && vip.preemptDelay != null && !pinnedHere
                ? seconds(Durations.parse(vip.preemptDelay)) : null);
        data.put("unicast", vip.unicast);
        data.put("selfAddress", Cidr.hostOf(self.address));
        data.put("peerAddresses", node.peers().stream().map(peer -> Cidr.hostOf(peer.address)).toList());
        data.put("password", checkedPassword(vip, password));
        data.put("vipAddress", vip.address);
        data.put("vip6Address", vip.ipv6Address().orElse(null));
        String selfAddress6 = hostOf6(self, vip);
        data.put("selfAddress6", selfAddress6);
        data.put("peerAddresses6", selfAddress6 == null ? List.of()
                : node.peers().stream().map(peer -> hostOf6(peer, vip)).toList());
        TraefikHealth traefik = TraefikHealth.of(spec);
        data.put("traefikService", traefik.quotedService());
        data.put("pingCurl", traefik.curlArguments(check.url));
        data.put("traefikUnit", KeepalivedPaths.traefikUnit(traefik.serviceName()));
        data.put("apiCurl", traefik.curlArguments(check.apiUrl));
        data.put("minRouters", check.minRouters > 0 ? check.minRouters : null);
        data.put("checkLog", KeepalivedPaths.CHECK_LOG);
        data.put("stateFile", KeepalivedPaths.STATE_FILE);
        data.put("stateLog", KeepalivedPaths.STATE_LOG);
        data.put("webhook", webhookUrl != null);
        data.put("webhookConfig", KeepalivedPaths.NOTIFY_WEBHOOK);
        data.put("heartbeat", heartbeatUrl != null && spec.heartbeat != null);
        data.put("heartbeatScript", KeepalivedPaths.HEARTBEAT_SCRIPT);
        data.put("heartbeatConfig", KeepalivedPaths.HEARTBEAT_CONFIG);
        data.put("heartbeatStamp", KeepalivedPaths.HEARTBEAT_STAMP);
        data.put("heartbeatInterval", spec.heartbeat == null ? 60 : Durations.parse(spec.heartbeat.interval).toSeconds());

        return new KeepalivedFiles(CONF.data(data).render(), CHECK.data(data).render(), NOTIFY.data(data).render(),
                webhookConfig(clusterName, webhookUrl), traefik.caFile(), HEARTBEAT.data(data).render(),
                curlConfig(clusterName, "heartbeat", spec.heartbeat == null ? null : heartbeatUrl),
                check.trackProcess ? RemoteFile.rootOwned(KeepalivedPaths.TRAEFIK_HOOK, TRAEFIK_HOOK.data(data).render(), 0755) : null,
                check.trackProcess ? RemoteFile.rootOwned(KeepalivedPaths.traefikDropIn(traefik.serviceName()),
                        DROP_IN.data(data).render(), 0644) : null);
    }

    /** curl's --config text naming the webhook URL (quoted as curl reads it), or saying there is none. */
    static String webhookConfig(String clusterName, String webhookUrl) {
        return curlConfig(clusterName, "notify webhook", webhookUrl);
    }

    /** curl's --config text naming the URL of {@code what} (quoted as curl reads it), or saying there is none. */
    private static String curlConfig(String clusterName, String what, String url) {
        String header = "# Managed by traefik-ha-operator for TraefikHACluster " + clusterName + ": ";
        if (url == null) {
            return header + "no " + what + ".\n";
        }
        if (!url.matches(Patterns.HTTP_URL) || url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the " + what + " URL is not an http(s) URL"); // the value is never shown
        }
        return header + "the " + what + ", read by curl --config.\n"
                + "url = \"" + url.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n";
    }

    /** A node's IPv6 address as the IPv6 instance's unicast source or peer; null when it has no IPv6 VIP. */
    private static String hostOf6(ContainerSpec node, VipSpec vip) {
        if (vip.ipv6Address().isEmpty() || !vip.unicast) {
            return null;
        }
        if (node.address6 == null) {
            throw new IllegalArgumentException("an IPv6 VIP with unicast adverts needs the address6 of " + node.hostname);
        }
        return Cidr.hostOf(node.address6);
    }

    private static String checkedPassword(VipSpec vip, String password) {
        if (vip.version == 3) {
            if (password != null) {
                throw new IllegalArgumentException("VRRP version 3 has no authentication; pass no password");
            }
            return null;
        }
        VrrpPassword.problem(password).ifPresent(problem -> {
            throw new IllegalArgumentException("the VRRP password " + problem);
        });
        return password;
    }

    /** VRRPv2 counts adverts in whole seconds, VRRPv3 in hundredths; keepalived reads both as decimal seconds. */
    private static String advertInt(VipSpec vip) {
        Duration advert = Durations.parse(vip.advertInterval);
        if (vip.version == 2) {
            return String.valueOf(wholeSeconds("spec.vip.advertInterval", vip.advertInterval));
        }
        if (advert.toMillis() % 10 != 0 || advert.toMillis() < 10) {
            throw new IllegalArgumentException("spec.vip.advertInterval " + vip.advertInterval + " is not a multiple of 10ms");
        }
        return seconds(advert);
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    /** keepalived 2.2 accepts only whole seconds (at least 1) for script intervals and timeouts. */
    private static long wholeSeconds(String field, String text) {
        Duration duration = Durations.parse(text);
        if (duration.toMillis() < 1000 || duration.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(field + " " + text + " must be a whole number of seconds, at least 1s");
        }
        return duration.toSeconds();
    }


    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static Template load(String name) {
        String resource = "/templates/keepalived/" + name;
        try (InputStream in = KeepalivedRenderer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("template " + resource + " is missing from the classpath");
            }
            return ENGINE.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
