package io.traefikha.sync;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.traefikha.api.v1alpha1.Durations;
import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.domain.Shell;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders lsyncd's configuration for the primary and the secondaries' side of the sync key: a pure function of the sync
 * spec, each secondary's address, SSH port and host keys, and the sync key.
 *
 * <p>default.rsync with {@code rsh} rather than default.rsyncssh: rsyncssh runs {@code mv} and {@code rm} through SSH
 * for moves, which a key restricted to rsync's server mode must not be able to do.
 */
public final class LsyncdRenderer {

    public static final String CONFIG_PATH = "/etc/lsyncd/lsyncd.conf.lua";
    public static final String KEY_PATH = "/etc/traefik-ha/sync/id_ed25519";
    public static final String KNOWN_HOSTS_PATH = "/etc/traefik-ha/sync/known_hosts";
    public static final String RSYNC_ONLY_PATH = "/usr/local/bin/traefik-ha-rsync-only";
    /** Every file the operator writes for lsyncd on the primary, and on the secondary besides authorized_keys. */
    public static final List<String> PRIMARY_FILES = List.of(KEY_PATH, KNOWN_HOSTS_PATH, CONFIG_PATH);
    public static final List<String> SECONDARY_FILES = List.of(RSYNC_ONLY_PATH);
    /**
     * What lsyncd reads when it starts (it has no reload): its configuration. The key and known hosts are read by ssh
     * at each connection, the forced command is run at each, so written is applied for them.
     */
    public static final List<String> LOADED = List.of(CONFIG_PATH);

    /**
     * The SSH client's options for the sync key. One connection is kept open and shared by every rsync lsyncd starts
     * (ControlMaster): a key exchange per change cost about 150 ms idle and more under CPU load, most of the time a change
     * spends beyond lsyncd's delay. The socket lives in root's /run, the dead peer is noticed within 10 s by keepalives,
     * and the forced command on the secondary still applies to every session on the shared connection.
     */
    public static final String SSH_OPTIONS = String.join(" ", "-i", KEY_PATH, "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + KNOWN_HOSTS_PATH,
            "-o", "ConnectTimeout=5", "-o", "ControlMaster=auto", "-o", "ControlPath=/run/traefik-ha-sync-%C",
            "-o", "ControlPersist=10m", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=2");

    private static final Engine ENGINE = Engine.builder().addDefaults().build();
    private static final Template CONFIG = load("lsyncd.conf.lua");
    private static final Template RSYNC_ONLY = load("rsync-only.sh");
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9.:-]+$");
    private static final Pattern HOST_KEY = Pattern.compile("^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+) [A-Za-z0-9+/=]+$");

    private LsyncdRenderer() {
    }

    /**
     * One secondary lsyncd replicates to.
     *
     * @param host     where lsyncd connects to
     * @param sshPort  its SSH port
     * @param hostKeys its public host keys ("type base64" each, as in ssh_host_*_key.pub)
     */
    public record Target(String host, int sshPort, List<String> hostKeys) {
        public Target {
            requireHost(host);
            hostKeys = List.copyOf(hostKeys);
        }

        /** How known_hosts names it. */
        String knownHostsName() {
            return sshPort == 22 ? host : "[" + host + "]:" + sshPort;
        }
    }

    /**
     * A pair's files: one secondary.
     *
     * @param primaryHost     the primary's address, the only source the sync key is accepted from
     * @param secondaryHost   where lsyncd connects to
     * @param secondaryHostKeys the secondary's public host keys ("type base64" each, as in ssh_host_*_key.pub)
     */
    public static LsyncdFiles render(SyncSpec spec, String clusterName, String primaryHost, String secondaryHost,
                                     int secondarySshPort, List<String> secondaryHostKeys, SyncKeyPair key) {
        return render(spec, clusterName, primaryHost, List.of(new Target(secondaryHost, secondarySshPort,
                secondaryHostKeys)), key);
    }

    /**
     * The files for any number of secondaries: lsyncd on the primary runs one sync per synced path and secondary, its
     * known_hosts holds every secondary's keys; each secondary gets the same forced command and sync key line.
     *
     * @param primaryHost the primary's address, the only source the sync key is accepted from
     * @param targets     the secondaries, in role order
     */
    public static LsyncdFiles render(SyncSpec spec, String clusterName, String primaryHost, List<Target> targets,
                                     SyncKeyPair key) {
        requireHost(primaryHost);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("lsyncd needs a secondary to replicate to");
        }
        List<Map<String, String>> paths = spec.paths.stream().map(path -> {
            String dir = path.endsWith("/") ? path : path + "/";
            return Map.of(
                    "source", lua(dir),
                    "dir", dir,
                    "exact", Shell.quote(dir.substring(0, dir.length() - 1)),
                    "withSlash", Shell.quote(dir));
        }).toList();
        List<Map<String, String>> syncs = paths.stream().flatMap(path -> targets.stream().map(target -> Map.of(
                "source", path.get("source"),
                "target", lua("root@" + target.host() + ":" + path.get("dir")),
                "rsh", lua("/usr/bin/ssh -p " + target.sshPort() + " " + SSH_OPTIONS)))).toList();
        List<String> hosts = targets.stream().map(Target::host).toList();
        Map<String, Object> data = new HashMap<>();
        data.put("clusterName", clusterName);
        data.put("peers", (hosts.size() == 1 ? "the secondary " : "the secondaries ") + String.join(", ", hosts));
        data.put("paths", paths);
        data.put("syncs", syncs);
        data.put("delay", BigDecimal.valueOf(Durations.parse(spec.delay).toMillis()).movePointLeft(3).stripTrailingZeros()
                .toPlainString());
        data.put("excludes", spec.exclude.stream().map(LsyncdRenderer::lua).collect(Collectors.joining(", ")));
        data.put("rsyncExcludes", spec.exclude.stream().map(e -> lua("--exclude=" + e)).collect(Collectors.joining(", ")));

        String knownHosts = targets.stream().flatMap(target -> target.hostKeys().stream()
                .map(k -> target.knownHostsName() + " " + checkedHostKey(k) + "\n")).collect(Collectors.joining());
        String authorizedKeyLine = "restrict,from=\"" + primaryHost + "\",command=\"" + RSYNC_ONLY_PATH + "\" "
                + key.publicKey() + "\n";
        return new LsyncdFiles(CONFIG.data(data).render(), knownHosts, RSYNC_ONLY.data(data).render(), authorizedKeyLine);
    }

    /** A Lua double-quoted string literal. */
    static String lua(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static void requireHost(String host) {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + host + "' is not an address");
        }
    }

    private static String checkedHostKey(String hostKey) {
        String stripped = hostKey.strip();
        if (!HOST_KEY.matcher(stripped).matches()) {
            throw new IllegalArgumentException("'" + stripped + "' is not a public host key (type and base64, no comment)");
        }
        return stripped;
    }

    private static Template load(String name) {
        String resource = "/templates/sync/" + name;
        try (InputStream in = LsyncdRenderer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("template " + resource + " is missing from the classpath");
            }
            return ENGINE.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
