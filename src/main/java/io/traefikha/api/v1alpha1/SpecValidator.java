package io.traefikha.api.v1alpha1;

import io.traefikha.domain.Cidr;
import io.traefikha.domain.Ipv6Cidr;
import io.traefikha.domain.Role;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRD schema's checks (patterns, ranges, required fields, CEL rules) again in Java. A real API server enforces the
 * schema; the test server and older clusters do not, and an invalid spec must never reach Proxmox, a node or DNS.
 * Every message names the field, as `kubectl explain` spells it.
 */
public final class SpecValidator {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    /** keepalived's highest priority for a node that does not own the address. */
    private static final int MAX_EFFECTIVE_PRIORITY = 254;
    /** keepalived's upper bound for preempt_delay. */
    private static final Duration MAX_PREEMPT_DELAY = Duration.ofSeconds(1000);
    private static final int MAX_DNS_NAME = 253;
    private static final Pattern NEVER_SYNCED_TREE = Pattern.compile(Patterns.NEVER_SYNCED_TREE);

    private SpecValidator() {
    }

    public static List<Violation> validate(TraefikHAClusterSpec spec) {
        Checks c = new Checks();
        if (spec == null) {
            c.fail("spec", "is required");
            return c.violations;
        }
        c.required("spec.proxmox", spec.proxmox, p -> proxmox(c, p));
        c.required("spec.primary", spec.primary, p -> container(c, "spec.primary", p));
        secondaries(c, spec);
        c.required("spec.network", spec.network, n -> network(c, n));
        c.required("spec.ssh", spec.ssh, s -> ssh(c, s));
        c.required("spec.vip", spec.vip, v -> vip(c, v, lastReplica(spec)));
        if (spec.healthCheck != null) {
            healthCheck(c, spec.healthCheck, spec.vip, lastReplica(spec));
        }
        if (spec.sync != null) {
            sync(c, spec.sync);
        }
        if (spec.dns != null) {
            dns(c, spec.dns);
        }
        if (spec.drill != null) {
            drill(c, spec.drill);
        }
        if (spec.traefik != null) {
            traefik(c, spec.traefik);
        }
        if (spec.healthCheck != null && spec.traefik != null) {
            healthTls(c, spec.healthCheck, spec.traefik);
        }
        if (spec.backup != null) {
            backup(c, spec.backup);
        }
        if (spec.heartbeat != null) {
            heartbeat(c, spec.heartbeat);
        }
        if (spec.maintenance != null) {
            maintenance(c, spec);
        }
        crossChecks(c, spec);
        lan(c, spec);
        lan6(c, spec);
        return c.violations;
    }

    private static void maintenance(Checks c, TraefikHAClusterSpec spec) {
        String node = spec.maintenance.node;
        if (node == null) {
            c.fail("spec.maintenance.node", "is required: primary, secondary, or secondary-N");
        } else if (!node.matches(MaintenanceSpec.NODE_PATTERN)) {
            c.fail("spec.maintenance.node", "must be primary, secondary, or secondary-N (as status.nodes[].role names a"
                    + " replica), not '" + node + "'");
        } else if (!spec.roles().contains(spec.maintenance.role())) {
            c.fail("spec.maintenance.node", "names " + node + ", but there " + (spec.secondaryList().size() == 1
                    ? "is one secondary" : "are " + spec.secondaryList().size() + " secondaries"));
        }
    }

    private static void proxmox(Checks c, ProxmoxSpec p) {
        c.pattern("spec.proxmox.url", p.url, Patterns.HTTPS_URL, "must be an https:// URL such as https://proxmox:8006");
        c.required("spec.proxmox.credentialsSecretRef", p.credentialsSecretRef, r -> secretRef(c, "spec.proxmox.credentialsSecretRef", r));
        tls(c, "spec.proxmox.tls", p.tls);
    }

    private static void tls(Checks c, String path, ProxmoxTlsSpec tls) {
        if (tls == null) {
            return;
        }
        int modes = (tls.caSecretRef != null ? 1 : 0) + (tls.fingerprint != null ? 1 : 0) + (tls.insecureSkipVerify ? 1 : 0);
        if (modes > 1) {
            c.fail(path, "set at most one of caSecretRef, fingerprint and insecureSkipVerify");
        }
        if (tls.caSecretRef != null) {
            secretRef(c, path + ".caSecretRef", tls.caSecretRef);
        }
        if (tls.fingerprint != null) {
            c.pattern(path + ".fingerprint", tls.fingerprint, Patterns.SHA256_FINGERPRINT,
                    "must be a SHA-256 fingerprint of 32 colon-separated hex pairs, e.g. as the Proxmox GUI shows it");
        }
    }

    private static void container(Checks c, String path, ContainerSpec ct) {
        c.pattern(path + ".node", ct.node, Patterns.DNS_LABEL, "must be a Proxmox node name (lower-case letters, digits, '-')");
        if (ct.vmid == null) {
            c.fail(path + ".vmid", "is required");
        } else {
            c.range(path + ".vmid", ct.vmid, 100, 999_999_999);
        }
        c.pattern(path + ".address", ct.address, Patterns.IPV4_CIDR, "must be an IPv4 address with prefix length, e.g. 192.168.1.110/24");
        c.pattern(path + ".hostname", ct.hostname, Patterns.HOSTNAME, "must be a valid host name");
    }

    /** Exactly one of spec.secondary (a pair) and spec.secondaries, and each secondary as a container of its own. */
    private static void secondaries(Checks c, TraefikHAClusterSpec spec) {
        boolean list = spec.secondaries != null;
        if (list && spec.secondary != null) {
            c.fail("spec.secondaries", "give either spec.secondary (a pair) or spec.secondaries, not both");
            return;
        }
        if (!list && spec.secondary == null) {
            c.fail("spec.secondary", "is required (or spec.secondaries, a list of them)");
            return;
        }
        if (list && (spec.secondaries.isEmpty() || spec.secondaries.size() > TraefikHAClusterSpec.MAX_SECONDARIES)) {
            c.fail("spec.secondaries", "lists " + spec.secondaries.size() + " secondaries: give 1 to "
                    + TraefikHAClusterSpec.MAX_SECONDARIES);
            return;
        }
        for (Role role : spec.secondaryRoles()) {
            SecondarySpec s = spec.secondary(role);
            String path = spec.field(role);
            if (s == null) {
                c.fail(path, "is required");
                continue;
            }
            container(c, path, s);
            c.optionalPattern(path + ".storage", s.storage, Patterns.DNS_LABEL, "must be a Proxmox storage id");
            c.optionalPattern(path + ".pool", s.pool, "^[A-Za-z0-9_.-]+$", "must be a Proxmox pool id");
            if (s.cloneStrategy == null) {
                c.fail(path + ".cloneStrategy", "must be Snapshot or StopPrimary");
            }
        }
    }

    /** The secondaries the checks across fields look at: given, and not null entries (reported on their own). */
    private static List<Role> givenSecondaries(TraefikHAClusterSpec spec) {
        if (spec.secondary != null && spec.secondaries != null) {
            return List.of();
        }
        return spec.secondaryRoles().stream().filter(role -> spec.secondary(role) != null).toList();
    }

    private static void network(Checks c, NetworkSpec n) {
        c.pattern("spec.network.bridge", n.bridge, "^[A-Za-z0-9_.-]{1,15}$", "must be a bridge name such as vmbr0");
        c.pattern("spec.network.gateway", n.gateway, Patterns.IPV4, "must be an IPv4 address without prefix length (the prefix"
                + " comes from spec.primary.address)");
        c.pattern("spec.network.interface", n.interfaceName, "^[A-Za-z0-9_.-]{1,15}$", "must be an interface name such as eth0");
    }

    private static void ssh(Checks c, SshSpec s) {
        c.required("spec.ssh.secretRef", s.secretRef, r -> secretRef(c, "spec.ssh.secretRef", r));
        c.pattern("spec.ssh.user", s.user, "^[a-z_][a-z0-9_-]{0,31}$", "must be a user name");
        c.range("spec.ssh.port", s.port, 1, 65535);
    }

    /** The replica with the lowest VRRP priority: the last secondary (the secondary of a pair). */
    private static Role lastReplica(TraefikHAClusterSpec spec) {
        return Role.of(Math.max(1, spec.secondaryList().size()));
    }

    /** @param last the replica with the lowest priority */
    private static void vip(Checks c, VipSpec v, Role last) {
        c.pattern("spec.vip.address", v.address, Patterns.IPV4_CIDR, "must be an IPv4 address with prefix length, e.g. 192.168.1.100/24");
        if (v.virtualRouterId == null) {
            c.fail("spec.vip.virtualRouterId", "is required");
        } else {
            c.range("spec.vip.virtualRouterId", v.virtualRouterId, 1, 255);
        }
        c.range("spec.vip.version", v.version, 2, 3);
        c.range("spec.vip.httpPort", v.httpPort, 1, 65535);
        c.range("spec.vip.httpsPort", v.httpsPort, 0, 65535);
        if (v.httpPort == v.httpsPort) {
            c.fail("spec.vip.httpsPort", "must differ from vip.httpPort (" + v.httpPort + ")");
        }
        Duration advert = c.duration("spec.vip.advertInterval", v.advertInterval);
        if (advert != null) {
            if (advert.compareTo(Duration.ofMillis(10)) < 0 || advert.compareTo(Duration.ofSeconds(255)) > 0) {
                c.fail("spec.vip.advertInterval", "must be between 10ms and 255s");
            } else if (v.version == 2 && (advert.compareTo(ONE_SECOND) < 0 || advert.toNanos() % ONE_SECOND.toNanos() != 0)) {
                c.fail("spec.vip.advertInterval", "VRRP version 2 only accepts whole seconds; use vip.version 3 for " + v.advertInterval);
            } else if (v.version == 3 && advert.toMillis() % 10 != 0) {
                c.fail("spec.vip.advertInterval", "VRRP version 3 counts in steps of 10ms");
            }
        }
        if (v.preemptDelay != null) {
            Duration delay = c.duration("spec.vip.preemptDelay", v.preemptDelay);
            if (delay != null && delay.compareTo(MAX_PREEMPT_DELAY) > 0) {
                c.fail("spec.vip.preemptDelay", v.preemptDelay + " is longer than keepalived's maximum of 1000s");
            }
        }
        c.optionalPattern("spec.vip.notifyWebhookUrl", v.notifyWebhookUrl, Patterns.HTTP_URL, "must be an http(s) URL");
        if (v.notifyWebhookSecretRef != null) {
            secretRef(c, "spec.vip.notifyWebhookSecretRef", v.notifyWebhookSecretRef);
            if (v.notifyWebhookUrl != null) {
                c.fail("spec.vip.notifyWebhookSecretRef", "set at most one of notifyWebhookUrl and notifyWebhookSecretRef");
            }
        }
        if (v.priorities == null) {
            c.fail("spec.vip.priorities", "is required");
        } else {
            c.range("spec.vip.priorities.primary", v.priorities.primary, 1, 254);
            c.range("spec.vip.priorities.secondary", v.priorities.secondary, 1, 254);
            if (v.priorities.primary <= v.priorities.secondary) {
                c.fail("spec.vip.priorities", "primary (" + v.priorities.primary + ") must be higher than secondary ("
                        + v.priorities.secondary + ")");
            } else if (v.priority(last) < 1) {
                c.fail("spec.vip.priorities.secondary", "leaves the " + last.label() + " the priority " + v.priority(last)
                        + " (each further secondary has " + VipSpec.PrioritiesSpec.STEP + " less): raise it to at least "
                        + (v.priorities.secondary - v.priority(last) + 1) + " or list fewer secondaries");
            }
        }
        if (v.authSecretRef != null) {
            secretRef(c, "spec.vip.authSecretRef", v.authSecretRef);
        }
        vipAddresses(c, v);
    }

    /** vip.addresses: vip.address as its IPv4 entry, if it has one, and at most one IPv6 VIP, which needs VRRPv3. */
    private static void vipAddresses(Checks c, VipSpec v) {
        if (v.addresses == null) {
            return;
        }
        if (v.addresses.size() > 2) {
            c.fail("spec.vip.addresses", "lists " + v.addresses.size() + " addresses: at most one IPv4 and one IPv6");
        }
        int ipv6 = 0;
        for (int i = 0; i < v.addresses.size(); i++) {
            String field = "spec.vip.addresses[" + i + "]";
            String address = v.addresses.get(i);
            if (address != null && address.matches(Patterns.IPV4_CIDR)) {
                if (!address.equals(v.address)) {
                    c.fail(field, "'" + address + "' is another IPv4 VIP than spec.vip.address (" + v.address + "): the IPv4"
                            + " entry of vip.addresses must repeat vip.address, or leave it out");
                }
            } else if (ipv6Host(c, field, address)) {
                ipv6++;
            }
        }
        if (ipv6 > 1) {
            c.fail("spec.vip.addresses", "lists " + ipv6 + " IPv6 addresses: at most one (one VRRP instance per family)");
        }
        if (ipv6 > 0 && v.version != 3) {
            c.fail("spec.vip.version", "an IPv6 VIP (spec.vip.addresses) needs VRRP version 3: VRRPv2 has no IPv6");
        }
    }

    /** @return whether {@code address} is an IPv6 host address with prefix length */
    private static boolean ipv6Host(Checks c, String field, String address) {
        Optional<Ipv6Cidr> cidr = Ipv6Cidr.parse(address);
        if (cidr.isEmpty()) {
            c.fail(field, "'" + address + "' must be an IPv4 or IPv6 address with prefix length, e.g. 192.168.1.100/24 or"
                    + " fd00:1::100/64");
            return false;
        }
        Optional<String> problem = cidr.get().notAHost();
        problem.ifPresent(why -> c.fail(field, "'" + address + "' " + why));
        return problem.isEmpty();
    }

    /**
     * The IPv6 side of the LAN: with an IPv6 VIP and unicast adverts, both nodes need their IPv6 address (the adverts'
     * source and peer), in the VIP's subnet at the VIP's prefix length, and all three differ.
     */
    private static void lan6(Checks c, TraefikHAClusterSpec spec) {
        Map<String, String> nodes = new LinkedHashMap<>();
        if (spec.primary != null) {
            nodes.put("spec.primary.address6", spec.primary.address6);
        }
        givenSecondaries(spec).forEach(role -> nodes.put(spec.field(role) + ".address6", spec.secondary(role).address6));
        Optional<Ipv6Cidr> vip = spec.vip == null ? Optional.empty() : spec.vip.ipv6Address().flatMap(Ipv6Cidr::parse);
        Map<String, Ipv6Cidr> parsed = new LinkedHashMap<>();
        nodes.forEach((field, address) -> {
            if (address == null) {
                if (vip.isPresent() && spec.vip.unicast) {
                    c.fail(field, "is required with the IPv6 VIP " + spec.vip.ipv6Address().get() + " (spec.vip.addresses)"
                            + " and unicast adverts: it is the IPv6 VRRP instance's unicast source and peer");
                }
            } else if (ipv6Host(c, field, address)) {
                parsed.put(field, Ipv6Cidr.parse(address).get());
            }
        });
        vip.ifPresent(v -> parsed.forEach((field, node) -> {
            if (node.prefixLength() != v.prefixLength()) {
                c.fail(field, nodes.get(field) + " has the prefix /" + node.prefixLength() + " but the IPv6 VIP has /"
                        + v.prefixLength() + ": the pair and its VIP share one subnet");
            } else if (!node.sameSubnet(v)) {
                c.fail(field, nodes.get(field) + " is outside the subnet of the IPv6 VIP " + spec.vip.ipv6Address().get());
            } else if (node.address().equals(v.address())) {
                c.fail(field, "must differ from the IPv6 VIP " + spec.vip.ipv6Address().get());
            }
        }));
        Map<Object, String> seen = new LinkedHashMap<>();
        parsed.forEach((field, address) -> {
            String earlier = seen.putIfAbsent(address.address(), field);
            if (earlier != null) {
                c.fail(field, "must differ from " + earlier);
            }
        });
    }

    private static void drill(Checks c, DrillSpec d) {
        if (d.schedule != null && !d.schedule.isBlank()) {
            try {
                DrillSchedule.parse(d.schedule);
            } catch (IllegalArgumentException e) {
                c.fail("spec.drill.schedule", "'" + d.schedule + "' is not a Unix cron expression (minute hour day-of-month"
                        + " month day-of-week, e.g. '0 4 1 * *'): " + e.getMessage());
            }
        }
        if (d.scenario == null) {
            c.fail("spec.drill.scenario", "must be StopTraefik, StopKeepalived or StopContainer");
        }
        c.range("spec.drill.probePort", d.probePort, 1, 65535);
    }

    private static void heartbeat(Checks c, HeartbeatSpec h) {
        c.required("spec.heartbeat.secretRef", h.secretRef, r -> secretRef(c, "spec.heartbeat.secretRef", r));
        Duration interval = c.duration("spec.heartbeat.interval", h.interval);
        if (interval != null && (interval.compareTo(Duration.ofSeconds(10)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0
                || interval.toNanos() % Duration.ofSeconds(1).toNanos() != 0)) {
            c.fail("spec.heartbeat.interval", "'" + h.interval + "' must be whole seconds from 10s to 1h");
        }
    }

    /** @param last the replica with the lowest priority: a failed check must take any node below it */
    private static void healthCheck(Checks c, HealthCheckSpec h, VipSpec vip, Role last) {
        c.pattern("spec.healthCheck.url", h.url, Patterns.HTTP_URL, "must be an http(s) URL");
        c.pattern("spec.healthCheck.apiUrl", h.apiUrl, Patterns.HTTP_URL, "must be an http(s) URL");
        c.wholeSeconds("spec.healthCheck.interval", h.interval);
        c.wholeSeconds("spec.healthCheck.timeout", h.timeout);
        c.range("spec.healthCheck.fall", h.fall, 1, 255);
        c.range("spec.healthCheck.rise", h.rise, 1, 255);
        c.range("spec.healthCheck.weight", h.weight, -253, 253);
        if (h.minRouters < 0) {
            c.fail("spec.healthCheck.minRouters", "must not be negative");
        }
        if (vip != null && vip.priorities != null && h.weight != 0) {
            int gap = vip.priorities.primary - vip.priority(last);
            if (Math.abs(h.weight) <= gap) {
                c.fail("spec.healthCheck.weight", "weight " + h.weight + " cannot move the VIP: a failed check on the primary"
                        + " leaves its priority " + (vip.priorities.primary - Math.abs(h.weight)) + " above the "
                        + last.label() + "'s " + vip.priority(last) + " (spec.vip.priorities); use 0 (FAULT on failure) or a"
                        + " magnitude above " + gap);
            } else if (h.weight > 0 && vip.priorities.secondary + h.weight >= MAX_EFFECTIVE_PRIORITY) {
                // keepalived caps priority + weight at 254: both healthy nodes would tie and the higher IP would win.
                c.fail("spec.healthCheck.weight", "weight +" + h.weight + " lifts both healthy nodes to the cap of "
                        + MAX_EFFECTIVE_PRIORITY + " (spec.vip.priorities.secondary " + vip.priorities.secondary
                        + " + weight), so the primary would no longer be preferred; use 0 or a negative weight");
            }
        }
    }

    private static void backup(Checks c, BackupSpec b) {
        if (b.mode == null) {
            c.fail("spec.backup.mode", "must be Vzdump or None");
        }
        if (b.mode == BackupSpec.Mode.Vzdump) {
            c.pattern("spec.backup.storage", b.storage, BackupSpec.STORAGE_ID,
                    "must name a Proxmox storage that holds backups, such as local or pbs");
        }
    }

    private static void sync(Checks c, SyncSpec s) {
        if (s.mode == null) {
            c.fail("spec.sync.mode", "must be Lsyncd, Push or Off");
        }
        List<String> paths = s.paths == null ? List.of() : s.paths;
        if (s.mode != SyncSpec.SyncMode.Off && paths.isEmpty()) {
            c.fail("spec.sync.paths", "must list at least one directory when sync.mode is " + s.mode);
        }
        for (int i = 0; i < paths.size(); i++) {
            String field = "spec.sync.paths[" + i + "]";
            if (syncPath(c, field, paths.get(i))) {
                for (int j = 0; j < i; j++) {
                    String earlier = paths.get(j);
                    if (earlier == null) {
                        continue;
                    }
                    if (paths.get(i).equals(earlier) || paths.get(i).startsWith(earlier + "/")) {
                        c.fail(field, "'" + paths.get(i) + "' is already synced as spec.sync.paths[" + j + "] '" + earlier + "'");
                    } else if (earlier.startsWith(paths.get(i) + "/")) {
                        c.fail(field, "'" + paths.get(i) + "' contains spec.sync.paths[" + j + "] '" + earlier + "': list it once");
                    }
                }
            }
        }
        List<String> staticConfig = s.staticConfig == null ? List.of() : s.staticConfig;
        for (int i = 0; i < staticConfig.size(); i++) {
            String file = staticConfig.get(i);
            String field = "spec.sync.staticConfig[" + i + "]";
            if (file == null || !find(Patterns.NORMAL_ABSOLUTE_PATH, file)) {
                c.fail(field, "'" + file + "' must be an absolute file path such as /etc/traefik/traefik.yml");
            } else if (paths.stream().noneMatch(p -> p != null && file.startsWith(p + "/"))) {
                c.fail(field, "'" + file + "' is not inside spec.sync.paths " + paths + ", so it is not synced and a change to"
                        + " it could not be rolled out to every node");
            }
        }
        c.duration("spec.sync.delay", s.delay);
    }

    /**
     * A directory the sync overwrites on the secondary must be a Traefik configuration tree: absolute in normal form,
     * named after Traefik, and never in a tree the node itself depends on (the same regular expressions as the CRD's
     * rules on sync.paths).
     *
     * @return whether it is one
     */
    private static boolean syncPath(Checks c, String field, String path) {
        String why;
        Matcher neverSynced = path == null ? null : NEVER_SYNCED_TREE.matcher(path);
        if (path == null || path.isEmpty()) {
            why = "is required";
        } else if (!path.startsWith("/")) {
            why = "must be an absolute path such as /etc/traefik";
        } else if (path.equals("/")) {
            why = "is the root of the file system: the sync would overwrite the whole secondary";
        } else if (!find(Patterns.NORMAL_ABSOLUTE_PATH, path)) {
            why = "must be a plain absolute directory: no '.', '..' or empty segments and no trailing '/'";
        } else if (neverSynced.find()) {
            why = "is in " + neverSynced.group().replaceAll("/$", "") + ", which the sync must never overwrite (kernel and"
                    + " runtime files, temporary files, programs and libraries, the operator's own files)";
        } else if (!find(Patterns.TRAEFIK_NAMED_TREE, path)) {
            why = path.lastIndexOf('/') == 0
                    ? "is a system directory: the sync would overwrite the secondary's own files there; name the Traefik"
                            + " directory inside it, e.g. /etc/traefik"
                    : "is not a Traefik configuration tree: the sync overwrites it on the secondary, so it must be a directory"
                            + " named after Traefik, e.g. /etc/traefik or /opt/traefik/config";
        } else {
            return true;
        }
        c.fail(field, path == null || path.isEmpty() ? why : "'" + path + "' " + why);
        return false;
    }

    private static void traefik(Checks c, TraefikSpec t) {
        c.pattern("spec.traefik.versionUrl", t.versionUrl, Patterns.HTTP_URL, "must be an http(s):// URL");
        c.pattern("spec.traefik.serviceName", t.serviceName, Patterns.SYSTEMD_UNIT,
                "must be a systemd unit name (letters, digits, ':', '_', '.', '@', '-'; not starting with '-')");
        c.duration("spec.traefik.stepTimeout", t.stepTimeout);
        if (t.upgrade != null) {
            if (t.upgrade.version == null || t.upgrade.version.isBlank()) {
                c.fail("spec.traefik.upgrade.version", "is required: the version Traefik reports after the upgrade");
            }
            if (t.upgrade.command == null || t.upgrade.command.isBlank()) {
                c.fail("spec.traefik.upgrade.command", "is required: the command that installs the version on a node");
            }
        }
    }

    /**
     * An https health URL is verified as healthCheck.tls says; without that block it must point at the loopback, where
     * it is checked unverified (nothing off the node can come in between).
     */
    private static void healthTls(Checks c, HealthCheckSpec h, TraefikSpec t) {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("spec.healthCheck.url", h.url);
        urls.put("spec.healthCheck.apiUrl", h.apiUrl);
        urls.put("spec.traefik.versionUrl", t.versionUrl);
        List<String> https = urls.entrySet().stream().filter(url -> url.getValue() != null && url.getValue().startsWith("https://"))
                .map(Map.Entry::getKey).toList();
        if (h.tls == null) {
            https.stream().filter(field -> !HealthCheckSpec.pointsAtLoopback(urls.get(field))).forEach(field -> c.fail(field,
                    "'" + urls.get(field) + "' is https to a host other than the loopback: set spec.healthCheck.tls (the CA or"
                            + " the server name to verify Traefik's certificate for), or check http://127.0.0.1"));
            return;
        }
        if (https.isEmpty()) {
            c.fail("spec.healthCheck.tls", "applies to https URLs only, and url, apiUrl and traefik.versionUrl are all http");
        }
        c.optionalPattern("spec.healthCheck.tls.serverName", h.tls.serverName, Patterns.DNS_NAME,
                "must be a DNS name such as traefik.home.example");
        if (h.tls.caCertificate != null && c.pattern("spec.healthCheck.tls.caCertificate", h.tls.caCertificate,
                Patterns.PEM_CERTIFICATES, "must be PEM certificates (-----BEGIN CERTIFICATE----- ...) and nothing else")) {
            try {
                CertificateFactory.getInstance("X.509").generateCertificates(
                        new ByteArrayInputStream(h.tls.caCertificate.getBytes(StandardCharsets.US_ASCII)));
            } catch (CertificateException e) {
                c.fail("spec.healthCheck.tls.caCertificate", "is not a readable X.509 certificate: " + e.getMessage());
            }
        }
    }

    private static void dns(Checks c, DnsSpec d) {
        if (d.provider == null) {
            c.fail("spec.dns.provider", "must be AdGuardHome, RFC2136 or None");
            return;
        }
        switch (d.provider) {
            case AdGuardHome -> c.required("spec.dns.adguard", d.adguard, a -> {
                c.pattern("spec.dns.adguard.url", a.url, Patterns.HTTP_URL, "must be an http(s) URL");
                c.required("spec.dns.adguard.credentialsSecretRef", a.credentialsSecretRef,
                        r -> secretRef(c, "spec.dns.adguard.credentialsSecretRef", r));
                tls(c, "spec.dns.adguard.tls", a.tls);
            });
            case RFC2136 -> c.required("spec.dns.rfc2136", d.rfc2136, r -> {
                c.pattern("spec.dns.rfc2136.server", r.server, Patterns.HOSTNAME, "must be a host name or IPv4 address");
                c.range("spec.dns.rfc2136.port", r.port, 1, 65535);
                c.pattern("spec.dns.rfc2136.zone", r.zone, Patterns.DNS_SUBDOMAIN, "must be a DNS zone name");
                c.required("spec.dns.rfc2136.tsigSecretRef", r.tsigSecretRef, s -> secretRef(c, "spec.dns.rfc2136.tsigSecretRef", s));
            });
            case None -> { }
        }
        boolean domainValid = d.domain == null || c.pattern("spec.dns.domain", d.domain, Patterns.DNS_NAME,
                "must be a DNS domain such as internal.example.com");
        if (domainValid && d.domain != null && d.provider == DnsSpec.DnsProvider.RFC2136 && d.rfc2136 != null
                && d.rfc2136.zone != null && !isUnder(d.domain, d.rfc2136.zone)) {
            c.fail("spec.dns.domain", d.domain + " is not in the zone " + d.rfc2136.zone + " (spec.dns.rfc2136.zone) that the"
                    + " server updates");
        }
        List<String> records = d.records == null ? List.of() : d.records;
        if (d.domain == null && d.provider != DnsSpec.DnsProvider.None && !records.isEmpty()) {
            c.fail("spec.dns.domain", "is required when spec.dns.records are listed: every record must be a name under it");
        }
        if (d.domain == null && d.provider != DnsSpec.DnsProvider.None && d.discover) {
            c.fail("spec.dns.domain", "is required with spec.dns.discover: names are looked for under it");
        }
        String domain = domainValid ? d.domain : null;
        Map<String, String> listed = new HashMap<>(); // qualified name -> the record as written
        for (int i = 0; i < records.size(); i++) {
            String field = "spec.dns.records[" + i + "]";
            String record = records.get(i);
            if (recordName(c, field, record, domain)) {
                String first = listed.putIfAbsent(DnsSpec.qualify(record, domain), record);
                if (first != null) {
                    c.fail(field, "'" + record + "' names " + DnsSpec.qualify(record, domain) + ", already listed as '"
                            + first + "'");
                }
            }
        }
        List<DnsSpec.DnsPhaseSpec> phases = d.phases == null ? List.of() : d.phases;
        Map<String, String> phaseOf = new HashMap<>(); // qualified name -> the first phase listing it
        Set<String> phaseNames = new HashSet<>();
        for (int i = 0; i < phases.size(); i++) {
            DnsSpec.DnsPhaseSpec phase = phases.get(i);
            String field = "spec.dns.phases[" + i + "]";
            if (c.pattern(field + ".name", phase.name, Patterns.DNS_LABEL, "must be a short name (lower-case letters, digits, '-')")
                    && !phaseNames.add(phase.name)) {
                c.fail(field + ".name", "'" + phase.name + "' is the name of an earlier phase too");
            }
            for (String record : phase.records == null ? List.<String>of() : phase.records) {
                String name = record == null ? null : DnsSpec.qualify(record, domain);
                if (!listed.containsKey(name)) {
                    c.fail(field + ".records", "'" + record + "' is not listed in spec.dns.records");
                } else if (phaseOf.putIfAbsent(name, phase.name) != null) {
                    c.fail(field + ".records", "'" + record + "' is already in phase '" + phaseOf.get(name) + "'");
                }
            }
        }
        c.duration("spec.dns.soakTime", d.soakTime);
        c.range("spec.dns.ttl", d.ttl, 1, 86400);
    }

    /** Every replica's VMID and address its own, and the VIP none of them. */
    private static void crossChecks(Checks c, TraefikHAClusterSpec spec) {
        if (spec.primary == null) {
            return;
        }
        Map<Integer, String> vmids = new LinkedHashMap<>();
        Map<String, String> addresses = new LinkedHashMap<>();
        if (spec.primary.vmid != null) {
            vmids.put(spec.primary.vmid, "spec.primary.vmid");
        }
        if (host(spec.primary.address) != null) {
            addresses.put(host(spec.primary.address), "spec.primary.address");
        }
        for (Role role : givenSecondaries(spec)) {
            SecondarySpec s = spec.secondary(role);
            String path = spec.field(role);
            String vmidTaken = s.vmid == null ? null : vmids.putIfAbsent(s.vmid, path + ".vmid");
            if (vmidTaken != null) {
                c.fail(path + ".vmid", "must differ from " + vmidTaken + " (" + s.vmid + ")");
            }
            String addressTaken = host(s.address) == null ? null : addresses.putIfAbsent(host(s.address), path + ".address");
            if (addressTaken != null) {
                c.fail(path + ".address", "must differ from " + addressTaken);
            }
        }
        if (spec.vip != null && host(spec.vip.address) != null) {
            String vip = host(spec.vip.address);
            String taken = addresses.get(vip);
            if (taken != null) {
                c.fail("spec.vip.address", "must differ from " + taken + " (" + vip + ")");
            }
        }
    }

    /**
     * A record as the operator writes it: an RFC 1123 name, no wildcard, and under spec.dns.domain when it has a dot.
     *
     * @return whether it is one
     */
    private static boolean recordName(Checks c, String field, String record, String domain) {
        if (record != null && record.contains("*")) {
            c.fail(field, "'" + record + "' is a wildcard: list each name instead (a wildcard rewrite would also answer for"
                    + " names the operator must leave alone)");
            return false;
        }
        if (!c.pattern(field, record, Patterns.DNS_NAME, "must be a DNS name: lower-case letters, digits and '-', labels of"
                + " at most 63 characters separated by dots")) {
            return false;
        }
        if (record.length() > MAX_DNS_NAME) {
            c.fail(field, "'" + record + "' is longer than " + MAX_DNS_NAME + " characters");
            return false;
        }
        if (domain != null && record.contains(".") && !isUnder(record, domain)) {
            c.fail(field, "'" + record + "' is not under spec.dns.domain " + domain + ": the operator would point a name"
                    + " outside your domain at the VIP (write names under it, or just the first label)");
            return false;
        }
        return true;
    }

    private static boolean isUnder(String name, String domain) {
        return name.equals(domain) || name.endsWith("." + domain);
    }

    /**
     * Every address of the pair on one LAN. The subnet is spec.network.gateway's (it has no prefix length of its own) at
     * the prefix length of spec.primary.address; primary, secondary and VIP must be host addresses in it, and none the
     * gateway. Skipped while any address is malformed, which is reported already.
     */
    private static void lan(Checks c, TraefikHAClusterSpec spec) {
        if (spec.network == null || spec.primary == null || spec.vip == null || !matches(spec.network.gateway, Patterns.IPV4)
                || !matches(spec.primary.address, Patterns.IPV4_CIDR) || !matches(spec.vip.address, Patterns.IPV4_CIDR)) {
            return;
        }
        Map<String, String> secondaries = new LinkedHashMap<>();
        for (Role role : givenSecondaries(spec)) {
            if (!matches(spec.secondary(role).address, Patterns.IPV4_CIDR)) {
                return;
            }
            secondaries.put(spec.field(role) + ".address", spec.secondary(role).address);
        }
        if (secondaries.isEmpty()) {
            return;
        }
        String gateway = spec.network.gateway;
        if (find(Patterns.NOT_A_HOST, gateway)) {
            c.fail("spec.network.gateway", gateway + " is not a host address (0.x.x.x, multicast and reserved addresses"
                    + " route nowhere)");
            return;
        }
        int prefix = Cidr.parse(spec.primary.address).prefixLength();
        if (prefix < CelRules.MIN_PREFIX || prefix > CelRules.MAX_PREFIX) {
            c.fail("spec.primary.address", spec.primary.address + ": a /" + prefix + (prefix > CelRules.MAX_PREFIX
                    ? " has room for fewer than the four host addresses the pair needs (primary, secondary, VIP, gateway)"
                    : " would put public address space on the LAN") + "; use your LAN's prefix length, e.g. /24");
            return;
        }
        Ipv4Subnet lan = Ipv4Subnet.of(gateway, prefix);
        if (gateway.equals(lan.networkAddress()) || gateway.equals(lan.broadcastAddress())) {
            c.fail("spec.network.gateway", gateway + " is the " + (gateway.equals(lan.networkAddress()) ? "network" : "broadcast")
                    + " address of " + lan + " (at the prefix /" + prefix + " of spec.primary.address), not a router");
            return;
        }
        Ipv4Subnet nodes = Ipv4Subnet.of(Cidr.hostOf(spec.primary.address), prefix);
        if (!lan.contains(Cidr.hostOf(spec.primary.address)) && nodes.contains(Cidr.hostOf(spec.vip.address))
                && secondaries.values().stream().allMatch(address -> nodes.contains(Cidr.hostOf(address)))) {
            // All addresses agree on a LAN the gateway is not in: the gateway is the typo.
            c.fail("spec.network.gateway", gateway + " is outside " + nodes + ", the subnet of spec.primary.address, "
                    + String.join(", ", secondaries.keySet()) + " and spec.vip.address");
            return;
        }
        String source = " (spec.network.gateway " + gateway + " at the prefix /" + prefix + " of spec.primary.address)";
        hostOnLan(c, "spec.primary.address", spec.primary.address, lan, gateway, source);
        secondaries.forEach((field, address) -> hostOnLan(c, field, address, lan, gateway, source));
        hostOnLan(c, "spec.vip.address", spec.vip.address, lan, gateway, source);
    }

    private static void hostOnLan(Checks c, String field, String address, Ipv4Subnet lan, String gateway, String source) {
        Cidr cidr = Cidr.parse(address);
        String host = cidr.host();
        if (cidr.prefixLength() != lan.prefixLength()) {
            c.fail(field, address + " has the prefix /" + cidr.prefixLength() + " but spec.primary.address has /"
                    + lan.prefixLength() + ": the pair and its VIP share one subnet");
        } else if (!lan.contains(host)) {
            c.fail(field, host + " is outside " + lan + source);
        } else if (host.equals(lan.networkAddress())) {
            c.fail(field, host + " is the network address of " + lan + ", not a host address");
        } else if (host.equals(lan.broadcastAddress())) {
            c.fail(field, host + " is the broadcast address of " + lan + ", not a host address");
        } else if (host.equals(gateway)) {
            c.fail(field, host + " is the gateway (spec.network.gateway): taking it would cut the LAN off from its router");
        }
    }

    private static boolean matches(String value, String regex) {
        return value != null && value.matches(regex);
    }

    /** As CEL's matches() and the API server read a pattern: found anywhere unless anchored. */
    private static boolean find(String regex, String value) {
        return Pattern.compile(regex).matcher(value).find();
    }

    private static String host(String cidr) {
        return cidr == null ? null : Cidr.hostOf(cidr);
    }

    private static void secretRef(Checks c, String path, SecretRef ref) {
        c.pattern(path + ".name", ref.name, Patterns.DNS_SUBDOMAIN, "must be the name of a Secret");
    }

    /** Collects violations; each helper names the field it checked. */
    private static final class Checks {
        final List<Violation> violations = new ArrayList<>();

        void fail(String field, String message) {
            violations.add(new Violation(field, message));
        }

        <T> void required(String field, T value, Consumer<T> then) {
            if (value == null) {
                fail(field, "is required");
            } else {
                then.accept(value);
            }
        }

        /** @return whether the value is there and has the form */
        boolean pattern(String field, String value, String regex, String message) {
            if (value == null || value.isEmpty()) {
                fail(field, "is required");
                return false;
            }
            if (!value.matches(regex)) {
                fail(field, "'" + value + "' " + message);
                return false;
            }
            return true;
        }

        void optionalPattern(String field, String value, String regex, String message) {
            if (value != null) {
                pattern(field, value, regex, message);
            }
        }

        void range(String field, long value, long min, long max) {
            if (value < min || value > max) {
                fail(field, value + " is out of range " + min + ".." + max);
            }
        }

        /** keepalived 2.2 reads script intervals and timeouts as whole seconds, at least 1. */
        void wholeSeconds(String field, String value) {
            Duration duration = duration(field, value);
            if (duration != null && (duration.compareTo(ONE_SECOND) < 0 || duration.toNanos() % ONE_SECOND.toNanos() != 0)) {
                fail(field, "'" + value + "' must be a whole number of seconds, at least 1s (keepalived accepts nothing finer)");
            }
        }

        Duration duration(String field, String value) {
            if (value == null) {
                fail(field, "is required");
                return null;
            }
            if (!Durations.isValid(value)) {
                fail(field, "'" + value + "' must be a duration such as 100ms, 1s or 5m");
                return null;
            }
            return Durations.parse(value);
        }
    }
}
