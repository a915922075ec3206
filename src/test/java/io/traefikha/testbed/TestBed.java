package io.traefikha.testbed;

import com.jcraft.jsch.Proxy;
import io.traefikha.node.NodeEndpoint;
import io.traefikha.node.SshKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts made of Linux namespaces, standing in for the two LXC containers: each {@link BedHost} has its own network
 * namespace on a shared bridge, its own mount and UTS namespace with private /etc (a copy, like a cloned rootfs),
 * /usr/local/bin, /var/log and /run, a real sshd on port 22 and real keepalived. The bridge lives in a "switch"
 * namespace and a "client" namespace stands for the LAN; nothing is added to the machine's own network.
 *
 * <p>Names carry the JVM's pid ({@code thb<pid>-...}), so a bed left behind by a killed run is recognised (its pid is
 * gone) and removed by the next {@link #create()}. Addresses are 10.251.0.x/24, inside the bed only.
 */
public final class TestBed implements AutoCloseable {

    public static final String SUBNET = "10.251.0.";
    public static final int PREFIX_LENGTH = 24;
    public static final String CLIENT_ADDRESS = SUBNET + "2";
    /** The bed's IPv6 subnet (unique local), on the same switch, for hosts given one ({@link BedHost#addAddress6}). */
    public static final String SUBNET6 = "fd00:251::";
    public static final int PREFIX6_LENGTH = 64;
    public static final String CLIENT_ADDRESS6 = SUBNET6 + "2";
    static final String RSA_PASSPHRASE = "bed passphrase";

    private static final Path NETNS_DIR = Path.of("/run/netns");
    private static final Path ROOT = Path.of("/tmp");
    private static final Pattern BED_NAME = Pattern.compile("^thb(\\d+)-.*");
    private static final Pattern BED_DIR = Pattern.compile("^traefikha-testbed-(\\d+)$");

    private final String prefix;
    private final Path dir;
    private final Map<String, BedHost> hosts = new LinkedHashMap<>();

    private TestBed(String prefix, Path dir) {
        this.prefix = prefix;
        this.dir = dir;
    }

    /** Removes stale beds, then builds the switch (bridge) and the client namespace, and the client's SSH keys. */
    public static TestBed create() {
        E2ePrerequisites.requireTestBed();
        removeStaleBeds();
        long pid = ProcessHandle.current().pid();
        TestBed bed = new TestBed("thb" + pid + "-", ROOT.resolve("traefikha-testbed-" + pid));
        try {
            bed.build();
            return bed;
        } catch (RuntimeException | Error e) {
            bed.close();
            throw e;
        }
    }

    private void build() {
        try {
            Files.createDirectories(dir.resolve("client"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Exec.run("ip", "netns", "add", switchNamespace()).orThrow("creating the switch namespace");
        ip(switchNamespace(), "link", "add", "br0", "type", "bridge");
        ip(switchNamespace(), "link", "set", "br0", "up");
        Exec.run("ip", "netns", "add", clientNamespace()).orThrow("creating the client namespace");
        plug(clientNamespace(), "client", CLIENT_ADDRESS);
        Exec.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bed-ed25519", "-f", keyFile("id_ed25519").toString())
                .orThrow("generating the ed25519 client key");
        Exec.run("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", RSA_PASSPHRASE, "-C", "bed-rsa", "-f",
                keyFile("id_rsa").toString()).orThrow("generating the RSA client key");
    }

    /** Adds a host with a fresh root filesystem and starts it at ADDRESS (in {@link #SUBNET}). */
    public synchronized BedHost addHost(String name, String address) {
        BedHost host = plugHost(name);
        host.installFresh(authorizedKeys());
        host.powerOn(address);
        return host;
    }

    /** Adds a host whose root filesystem is a copy of SOURCE's, as a container clone; it stays off until started. */
    public synchronized BedHost cloneHost(BedHost source, String name) {
        BedHost host = plugHost(name);
        host.installCloneOf(source);
        return host;
    }

    /** Kills everything on the host and removes its namespace and files, as destroying a container does. */
    public synchronized void removeHost(String name) {
        host(name);
        removeNamespace(prefix + name);
        hosts.remove(name);
        Exec.run("rm", "-rf", dir.resolve("hosts").resolve(name).toString()).orThrow("removing the files of " + name);
    }

    /** Whether the network namespace of host NAME exists (e.g. still, after the host was removed). */
    public boolean hasNamespace(String name) {
        return list(NETNS_DIR).contains(prefix + name);
    }

    /** A namespace on the switch with its link down and no address, for a host that is off. */
    private BedHost plugHost(String name) {
        if (hosts.containsKey(name)) {
            throw new IllegalArgumentException("host " + name + " exists");
        }
        String namespace = prefix + name;
        Exec.run("ip", "netns", "add", namespace).orThrow("creating namespace " + namespace);
        plug(namespace, name, null);
        ip(switchNamespace(), "link", "set", portName(name), "down");
        BedHost host = new BedHost(this, name, namespace, dir.resolve("hosts").resolve(name));
        hosts.put(name, host);
        return host;
    }

    /** A veth pair from the switch's bridge (port p-NAME) to eth0 in the namespace, with the address unless null. */
    private void plug(String namespace, String name, String address) {
        String port = portName(name);
        Exec.run("ip", "link", "add", port, "netns", switchNamespace(), "type", "veth", "peer", "name", "eth0", "netns", namespace)
                .orThrow("creating the link of " + name);
        ip(switchNamespace(), "link", "set", port, "master", "br0");
        ip(switchNamespace(), "link", "set", port, "up");
        ip(namespace, "link", "set", "lo", "up");
        if (address != null) {
            ip(namespace, "addr", "add", address + "/" + PREFIX_LENGTH, "dev", "eth0");
        }
        ip(namespace, "link", "set", "eth0", "up");
    }

    static void ip(String namespace, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", namespace));
        argv.addAll(List.of(args));
        Exec.run(argv, Duration.ofSeconds(10)).orThrow(String.join(" ", argv));
    }

    String switchNamespace() {
        return prefix + "sw";
    }

    String clientNamespace() {
        return prefix + "client";
    }

    static String portName(String hostName) {
        return "p-" + hostName;
    }

    public synchronized BedHost host(String name) {
        BedHost host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no host " + name);
        }
        return host;
    }

    /** How JSch reaches the bed's hosts (through the client namespace). */
    public Function<NodeEndpoint, Proxy> transport() {
        return endpoint -> new NamespaceTransport(clientNamespace());
    }

    public SshKey ed25519Key() {
        return new SshKey(read(keyFile("id_ed25519")), null);
    }

    public SshKey rsaKeyWithPassphrase() {
        return new SshKey(read(keyFile("id_rsa")), RSA_PASSPHRASE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private String authorizedKeys() {
        return new String(read(keyFile("id_ed25519.pub"))) + new String(read(keyFile("id_rsa.pub")));
    }

    private Path keyFile(String name) {
        return dir.resolve("client").resolve(name);
    }

    /** Starts polling http://VIP:80/ from the client namespace every 10 ms. */
    public VipPoller pollVip(String vipAddress) {
        return VipPoller.start(clientNamespace(), vipAddress, 80);
    }

    /** The operator's drill probe (HTTP to VIP:80) from the client namespace; close it when done. */
    NamespaceVipProber vipProber(String vipAddress) {
        return NamespaceVipProber.start(clientNamespace(), vipAddress, 80);
    }

    /** A client that waits up to TIMEOUT for each answer, as a browser or an API client would: it counts lost requests. */
    public VipPoller pollVip(String vipAddress, Duration timeout) {
        return VipPoller.start(clientNamespace(), vipAddress, 80, timeout);
    }

    /** Runs a shell command in the client namespace (e.g. curl to the VIP). */
    public Exec.Result execInClient(String command) {
        return Exec.run(List.of("nsenter", "--net=/run/netns/" + clientNamespace(), "sh", "-c", command), Duration.ofSeconds(30));
    }

    /** The client gets its IPv6 address {@link #CLIENT_ADDRESS6} (idempotent), to reach IPv6 VIPs. */
    public void enableIpv6InClient() {
        ip(clientNamespace(), "-6", "addr", "replace", CLIENT_ADDRESS6 + "/" + PREFIX6_LENGTH, "dev", "eth0", "nodad");
    }

    /** Another host on the LAN takes ADDRESS: the client namespace adds it to its interface (and answers ARP for it). */
    public void claimInClient(String address) {
        ip(clientNamespace(), "addr", "add", address + "/" + PREFIX_LENGTH, "dev", "eth0");
    }

    public void releaseInClient(String address) {
        ip(clientNamespace(), "addr", "del", address + "/" + PREFIX_LENGTH, "dev", "eth0");
    }

    /** The MAC of the client's interface, as arping prints it (upper case). */
    public String clientMac() {
        return Exec.run("ip", "-n", clientNamespace(), "-br", "link", "show", "eth0").orThrow("reading the client's MAC")
                .stdout().trim().split("\\s+")[2].toUpperCase(java.util.Locale.ROOT);
    }

    /** Tears everything down; safe to call twice and after a failed build. */
    @Override
    public synchronized void close() {
        hosts.clear();
        removeBed(prefix, dir);
    }

    private static void removeStaleBeds() {
        for (String namespace : list(NETNS_DIR)) {
            Matcher m = BED_NAME.matcher(namespace);
            if (m.matches() && !alive(Long.parseLong(m.group(1)))) {
                removeNamespace(namespace);
            }
        }
        for (String name : list(ROOT)) {
            Matcher m = BED_DIR.matcher(name);
            if (m.matches() && !alive(Long.parseLong(m.group(1)))) {
                Exec.run("rm", "-rf", ROOT.resolve(name).toString());
            }
        }
    }

    private static void removeBed(String prefix, Path dir) {
        for (String namespace : list(NETNS_DIR)) {
            if (namespace.startsWith(prefix)) {
                removeNamespace(namespace);
            }
        }
        Exec.run("rm", "-rf", dir.toString());
    }

    /** Kills everything running in the namespace (the host's holder, sshd, keepalived, traefik), then deletes it. */
    static void removeNamespace(String namespace) {
        for (int attempt = 0; attempt < 5; attempt++) {
            String pids = Exec.run("ip", "netns", "pids", namespace).stdout().strip();
            if (pids.isEmpty()) {
                break;
            }
            List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
            kill.addAll(List.of(pids.split("\\s+")));
            Exec.run(kill, Duration.ofSeconds(5));
            sleep(100);
        }
        Exec.run("ip", "netns", "del", namespace);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static List<String> list(Path directory) {
        try (var entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = TestBed.class.getResourceAsStream("/testbed/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource testbed/" + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
