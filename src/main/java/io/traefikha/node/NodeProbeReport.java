package io.traefikha.node;

import io.traefikha.domain.Ipv6Cidr;
import io.traefikha.domain.LoadedRouters;
import io.traefikha.domain.LsyncdFacts;
import io.traefikha.sync.FileTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One node's state as seen by a single probe round trip.
 *
 * @param routerCount routers Traefik has loaded, or -1 when the API did not answer
 * @param fileHashes  SHA-256 of each requested managed file that exists, by path
 * @param traefikVersion the version Traefik reports, or null (not asked, or no answer)
 * @param job         the job file's line ("ID running", "ID exit=N"), or null
 * @param configHash  the synced tree's {@link FileTree#aggregateHash()}, or null without a tree
 * @param syncTree    the synced tree, or null when not reported or cut short: then the sync lists the tree itself
 * @param lsyncd      the sync daemon's footing, or null when not reported
 * @param loadedHashes SHA-256 of the files keepalived and lsyncd read when the operator last started, restarted or
 *                    reloaded them, by path ({@link LoadRecords}); empty without a record
 * @param loadedRouters the HTTP routers Traefik has loaded, or null when its API did not answer (or an older script)
 * @param ipv6Addresses the global IPv6 addresses on the VIP's interface (canonical, without prefix length; an IPv6 VIP
 *                    among them when held), or null when not reported
 */
public record NodeProbeReport(String hostname, boolean keepalivedInstalled, boolean keepalivedActive,
                              boolean keepalivedEnabled, boolean traefikActive, boolean vipPresent, VrrpState vrrpState,
                              String configHash, boolean traefikPingOk, int routerCount, Map<String, String> fileHashes,
                              String traefikVersion, String job, FileTree syncTree, LsyncdFacts lsyncd,
                              Map<String, String> loadedHashes, LoadedRouters loadedRouters, List<String> ipv6Addresses) {

    /** Without the IPv6 addresses. */
    public NodeProbeReport(String hostname, boolean keepalivedInstalled, boolean keepalivedActive,
                           boolean keepalivedEnabled, boolean traefikActive, boolean vipPresent, VrrpState vrrpState,
                           String configHash, boolean traefikPingOk, int routerCount, Map<String, String> fileHashes,
                           String traefikVersion, String job, FileTree syncTree, LsyncdFacts lsyncd,
                           Map<String, String> loadedHashes, LoadedRouters loadedRouters) {
        this(hostname, keepalivedInstalled, keepalivedActive, keepalivedEnabled, traefikActive, vipPresent, vrrpState,
                configHash, traefikPingOk, routerCount, fileHashes, traefikVersion, job, syncTree, lsyncd, loadedHashes,
                loadedRouters, null);
    }

    /** Without the routers' names: they are not compared. */
    public NodeProbeReport(String hostname, boolean keepalivedInstalled, boolean keepalivedActive,
                           boolean keepalivedEnabled, boolean traefikActive, boolean vipPresent, VrrpState vrrpState,
                           String configHash, boolean traefikPingOk, int routerCount, Map<String, String> fileHashes,
                           String traefikVersion, String job, FileTree syncTree, LsyncdFacts lsyncd,
                           Map<String, String> loadedHashes) {
        this(hostname, keepalivedInstalled, keepalivedActive, keepalivedEnabled, traefikActive, vipPresent, vrrpState,
                configHash, traefikPingOk, routerCount, fileHashes, traefikVersion, job, syncTree, lsyncd, loadedHashes, null);
    }

    /** Without records of what the daemons loaded. */
    public NodeProbeReport(String hostname, boolean keepalivedInstalled, boolean keepalivedActive,
                           boolean keepalivedEnabled, boolean traefikActive, boolean vipPresent, VrrpState vrrpState,
                           String configHash, boolean traefikPingOk, int routerCount, Map<String, String> fileHashes,
                           String traefikVersion, String job, FileTree syncTree, LsyncdFacts lsyncd) {
        this(hostname, keepalivedInstalled, keepalivedActive, keepalivedEnabled, traefikActive, vipPresent, vrrpState,
                configHash, traefikPingOk, routerCount, fileHashes, traefikVersion, job, syncTree, lsyncd, Map.of());
    }

    /** Without the synced tree and the sync daemon's facts. */
    public NodeProbeReport(String hostname, boolean keepalivedInstalled, boolean keepalivedActive,
                           boolean keepalivedEnabled, boolean traefikActive, boolean vipPresent, VrrpState vrrpState,
                           String configHash, boolean traefikPingOk, int routerCount, Map<String, String> fileHashes,
                           String traefikVersion, String job) {
        this(hostname, keepalivedInstalled, keepalivedActive, keepalivedEnabled, traefikActive, vipPresent, vrrpState,
                configHash, traefikPingOk, routerCount, fileHashes, traefikVersion, job, null, null);
    }

    /** Without the version and job facts. */
    public NodeProbeReport(String hostname, boolean keepalivedInstalled, boolean keepalivedActive,
                           boolean keepalivedEnabled, boolean traefikActive, boolean vipPresent, VrrpState vrrpState,
                           String configHash, boolean traefikPingOk, int routerCount, Map<String, String> fileHashes) {
        this(hostname, keepalivedInstalled, keepalivedActive, keepalivedEnabled, traefikActive, vipPresent, vrrpState,
                configHash, traefikPingOk, routerCount, fileHashes, null, null);
    }

    /** Version of the key=value format below; the probe script prints it first. */
    static final String FORMAT_VERSION = "4";
    private static final String FILE_HASH = "file_sha256=";
    private static final String HOST_KEY = "host_key=";
    /** The key of the synced tree's listing, in base64 (see {@link FileTree#parseListing}). */
    static final String TREE = "tree";
    /** One router Traefik has loaded, "name TAB status", in name order ({@link NodeScripts}). */
    static final String ROUTER = "router=";
    private static final String SHA256 = "[0-9a-f]{64}";

    public NodeProbeReport {
        fileHashes = Map.copyOf(fileHashes);
        loadedHashes = Map.copyOf(loadedHashes);
        ipv6Addresses = ipv6Addresses == null ? null : List.copyOf(ipv6Addresses);
    }

    /**
     * Parses the probe script's output: one key=value per line. Unknown keys are ignored (a newer script may add some);
     * a missing key or another format version is an error, since a half-read report must never look like a healthy one.
     */
    public static NodeProbeReport parse(String output) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> fileHashes = new HashMap<>();
        Map<String, String> loadedHashes = new HashMap<>();
        List<String> hostKeys = new ArrayList<>();
        Map<String, String> routers = new TreeMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith(ROUTER)) {
                putRouter(routers, line.substring(ROUTER.length()));
            } else if (line.startsWith(HOST_KEY)) {
                hostKeys.add(line.substring(HOST_KEY.length()).strip());
            } else if (line.startsWith(FILE_HASH)) {
                putHash(fileHashes, line.substring(FILE_HASH.length()));
            } else if (line.startsWith(LoadRecords.PROBE_KEY)) {
                putHash(loadedHashes, line.substring(LoadRecords.PROBE_KEY.length()));
            } else if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        if (!FORMAT_VERSION.equals(values.get("probe_format"))) {
            throw new IllegalArgumentException("not a probe report of format " + FORMAT_VERSION + ": " + abbreviate(output));
        }
        FileTree tree = tree(values.get(TREE));
        int routerCount = routerCount(required(values, "router_count"));
        return new NodeProbeReport(
                required(values, "hostname"),
                flag(values, "keepalived_installed"),
                "active".equals(required(values, "keepalived_active")),
                "enabled".equals(required(values, "keepalived_enabled")),
                "active".equals(required(values, "traefik_active")),
                flag(values, "vip_present"),
                VrrpState.parse(required(values, "vrrp_state")),
                tree == null ? null : tree.aggregateHash(),
                flag(values, "traefik_ping"),
                routerCount,
                fileHashes,
                emptyAsNull(values.get("traefik_version")),
                emptyAsNull(values.get("job")),
                tree,
                lsyncdFacts(values, hostKeys),
                loadedHashes,
                loadedRouters(routerCount, values.get("routers_sha256"), routers),
                ipv6Addresses(values.get("ipv6_addresses")));
    }

    /** "fd00:1::110/64 fd00:1::100/64 " as canonical addresses; what is no IPv6 address with prefix is left out. */
    private static List<String> ipv6Addresses(String line) {
        if (line == null) {
            return null;
        }
        return Arrays.stream(line.split(" ")).map(String::strip).filter(a -> a.contains("/"))
                .map(a -> Ipv6Cidr.canonical(a.substring(0, a.indexOf('/')))).flatMap(Optional::stream).distinct().toList();
    }

    /** "name TAB status"; a line cut before its tab keeps its name, with an unknown status. */
    private static void putRouter(Map<String, String> routers, String line) {
        int tab = line.indexOf('\t');
        routers.put(tab < 0 ? line : line.substring(0, tab), tab < 0 ? "?" : line.substring(tab + 1).strip());
    }

    /** Null unless the API answered (a count) and the node hashed the whole list. */
    private static LoadedRouters loadedRouters(int count, String sha256, Map<String, String> listed) {
        return count < 0 || sha256 == null || !sha256.matches(SHA256) ? null
                : new LoadedRouters(count, sha256, new TreeMap<>(listed));
    }

    /** Reads "HASH PATH" into the map, path to hash; anything else is left out. */
    private static void putHash(Map<String, String> hashes, String hashAndPath) {
        String[] parts = hashAndPath.split(" ", 2);
        if (parts.length == 2 && parts[0].matches(SHA256)) {
            hashes.put(parts[1], parts[0]);
        }
    }

    /** Null when absent or cut short: the sync then lists (and reports a problem) itself. */
    private static FileTree tree(String base64) {
        if (base64 == null) {
            return null;
        }
        try {
            return FileTree.parseListing(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Null unless the probe reported the service state (an older script, or a node without systemctl answers). */
    private static LsyncdFacts lsyncdFacts(Map<String, String> values, List<String> hostKeys) {
        String packages = values.get("installed_packages");
        String active = values.get("lsyncd_active");
        String enabled = values.get("lsyncd_enabled");
        if (packages == null || active == null || enabled == null) {
            return null;
        }
        Set<String> installed = Arrays.stream(packages.split(" ")).filter(p -> !p.isBlank()).collect(Collectors.toSet());
        return new LsyncdFacts(installed, "active".equals(active), "enabled".equals(enabled), hostKeys,
                emptyAsNull(values.get("sync_key_sha256")));
    }

    /** Keys a rolling operation needs but the health of a node does not: absent or empty means unknown. */
    private static String emptyAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String required(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("probe report lacks '" + key + "'");
        }
        return value;
    }

    private static boolean flag(Map<String, String> values, String key) {
        String value = required(values, key);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("probe report has " + key + "=" + value + ", expected true or false");
        };
    }

    private static int routerCount(String value) {
        return value.matches("\\d{1,9}") ? Integer.parseInt(value) : -1;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
