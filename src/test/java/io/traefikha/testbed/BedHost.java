package io.traefikha.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One bed host (see {@link TestBed}). It has its own PID namespace too, as an LXC container does, so process checks
 * (pgrep traefik) and kills see only this host's processes; its PID 1 is a small reaper, so a killed daemon does not
 * linger as a zombie that pgrep would still count.
 */
public final class BedHost {

    /**
     * Paths of the host's private views, and the directory under the host's bed dir that backs each. A private /root also
     * keeps the machine's shell start-up files (pyenv's rehash waits up to 60 s on a lock in a shared directory) out of
     * the host's SSH sessions. /var/lib/traefik-ha holds the operator's records of what the daemons loaded.
     */
    private static final Map<String, String> PRIVATE_DIRS = Map.of(
            "/etc", "etc", "/usr/local/bin", "usr-local-bin", "/var/log", "var-log", "/run", "run", "/root", "root",
            "/var/lib/traefik-ha", "var-lib-traefik-ha",
            // per-host identities a Debian container keeps besides /etc/machine-id (a clone copies them)
            "/var/lib/dbus", "var-lib-dbus", "/var/lib/systemd", "var-lib-systemd");
    private static final String REAPER = "import os, sys, time\n"
            + "print('ready', flush=True)\n"
            + "while True:\n"
            + "    try:\n"
            + "        os.wait()\n"
            + "    except ChildProcessError:\n"
            + "        time.sleep(0.2)\n";
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

    private final TestBed bed;
    private final String name;
    private final String namespace;
    private final Path dir;
    /** Set when the host starts (a container gets its net0 address at start). */
    private volatile String address;
    /** The IPv6 address on eth0 once given ({@link #addAddress6}), given again at each start as a container's ip6. */
    private volatile String address6;
    /** The host's PID 1 seen from the machine; 0 while the host is off. */
    private volatile long initPid;
    private Process unshare;

    BedHost(TestBed bed, String name, String namespace, Path dir) {
        this.bed = bed;
        this.name = name;
        this.namespace = namespace;
        this.dir = dir;
    }

    public String name() {
        return name;
    }

    public String address() {
        return address;
    }

    /** A fresh root filesystem: the machine's /etc without its host keys, the bed's client keys authorised, a new host key. */
    void installFresh(String authorizedKeys) {
        try {
            Files.createDirectories(dir);
            Exec.run("cp", "-a", "/etc", dir.resolve("etc").toString()).orThrow("copying /etc for " + name);
            createVolatileDirs();
            Files.createDirectories(dir.resolve("root"));
            Files.createDirectories(dir.resolve("var-lib-traefik-ha"));
            Path dbus = dir.resolve("var-lib-dbus");
            Exec.run("sh", "-c", "mkdir -p " + dbus + " && if [ -d /var/lib/dbus ]; then cp -a /var/lib/dbus/. " + dbus
                    + "/; fi").orThrow("copying /var/lib/dbus");
            Files.createDirectories(dir.resolve("var-lib-systemd"));
            Exec.run("sh", "-c", "head -c 512 /dev/urandom > " + dir.resolve("var-lib-systemd/random-seed"))
                    .orThrow("writing systemd's random seed");
            Exec.run("chmod", "-R", "go-w", dir.toString());
            Exec.run("chmod", "700", dir.resolve("root").toString());
            Exec.run("sh", "-c", "rm -f " + dir.resolve("etc/ssh") + "/ssh_host_*").orThrow("removing copied host keys");
            Exec.run("mkdir", "-p", dir.resolve("etc/traefik").toString(), dir.resolve("etc/keepalived").toString());
            writeIdentity();
            write("/etc/ssh/sshd_config", sshdConfig(), "644");
            write("/etc/ssh/bed_authorized_keys", authorizedKeys, "600");
            write("/usr/local/bin/systemctl", TestBed.resource("systemctl"), "755");
            write("/usr/local/bin/traefik", TestBed.resource("traefik"), "755");
            generateHostKey();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The root filesystem of a clone of SOURCE, as pct clone copies it: /etc (host keys, authorised keys, enabled
     * services and all), /usr/local/bin and /root; logs and /run start empty. Only the hostname is the clone's own.
     */
    void installCloneOf(BedHost source) {
        try {
            Files.createDirectories(dir);
            for (String copied : List.of("etc", "usr-local-bin", "root", "var-lib-traefik-ha", "var-lib-dbus",
                    "var-lib-systemd")) {
                Exec.run("cp", "-a", source.dir.resolve(copied).toString(), dir.resolve(copied).toString())
                        .orThrow("copying " + copied + " of " + source.name + " for " + name);
            }
            createVolatileDirs();
            writeIdentity();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void createVolatileDirs() throws IOException {
        for (String backing : List.of("var-log", "run/sshd")) {
            Files.createDirectories(dir.resolve(backing));
        }
    }

    /** What Proxmox writes into a container from its config: the hostname. */
    private void writeIdentity() {
        write("/etc/hostname", name + "\n", "644");
        write("/etc/hosts", "127.0.0.1 localhost\n127.0.1.1 " + name + "\n", "644");
    }

    /**
     * Starts the host as LXC starts a container: eth0 gets ADDRESS (in {@link TestBed#SUBNET}) and its link comes up,
     * PID 1 starts, then sshd and every service enabled at boot.
     */
    public void powerOn(String newAddress) {
        if (initPid != 0) {
            throw new IllegalStateException("host " + name + " is already running");
        }
        TestBed.ip(namespace, "addr", "replace", newAddress + "/" + TestBed.PREFIX_LENGTH, "dev", "eth0");
        address = newAddress;
        if (address6 != null) {
            addAddress6(address6);
        }
        linkUp();
        startInit();
        startSshd();
        // systemd loads its units (and their drop-ins) at boot
        exec("systemctl daemon-reload && for service in $(ls /etc/bed-enabled 2>/dev/null); do systemctl start $service || exit 1;"
                + " done")
                .orThrow("starting the enabled services on " + name);
    }

    /**
     * Stops the host as pct stop does: every process dies at once (PID 1 is killed, so its PID namespace goes with it),
     * /run is emptied like a tmpfs, eth0 loses its addresses (the VIP too) and the link goes down.
     */
    public void powerOff() {
        if (initPid == 0) {
            return;
        }
        Exec.run("kill", "-KILL", String.valueOf(initPid));
        try {
            if (!unshare.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("host " + name + " did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + name, e);
        }
        initPid = 0;
        Exec.run("rm", "-rf", dir.resolve("run").toString()).orThrow("emptying /run of " + name);
        try {
            createVolatileDirs();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestBed.ip(namespace, "addr", "flush", "dev", "eth0");
        linkDown();
    }

    /**
     * Shuts the host down as pct shutdown does: systemd stops the running services, unrelated units in parallel (each
     * stop's ExecStopPost hooks run), then the container is off as after {@link #powerOff()}.
     */
    public void shutdown() {
        exec("for service in keepalived traefik lsyncd; do systemctl stop $service & done; wait")
                .orThrow("stopping the services of " + name);
        powerOff();
    }

    public boolean running() {
        return initPid != 0;
    }

    private static String sshdConfig() {
        return String.join("\n",
                "# Test-bed sshd: root by key only, files in this host's private /etc and /run.",
                "Port 22",
                "ListenAddress 0.0.0.0",
                "HostKey /etc/ssh/ssh_host_ed25519_key",
                "PidFile /run/sshd.pid",
                "AuthorizedKeysFile /etc/ssh/bed_authorized_keys",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "UseDNS no",
                "PrintMotd no",
                "MaxSessions 50",
                "Subsystem sftp internal-sftp",
                "");
    }

    /** The host's PID 1: new mount, UTS and PID namespaces in the host's network namespace, private dirs bound in. */
    private void startInit() {
        StringBuilder script = new StringBuilder("set -e\n");
        // a mount point the machine may lack (/var/lib/traefik-ha) is created, empty, on the machine
        PRIVATE_DIRS.forEach((path, backing) -> script.append("mkdir -p ").append(path).append(" && mount --bind ")
                .append(dir.resolve(backing)).append(' ').append(path).append('\n'));
        script.append("hostname ").append(name).append('\n');
        // The system's python: a python3 found on the caller's PATH may live under the machine's /root, hidden now.
        script.append("exec /usr/bin/python3 -c \"$REAPER\"\n");
        try {
            ProcessBuilder builder = new ProcessBuilder("nsenter", "--net=/run/netns/" + namespace, "unshare", "--mount",
                    "--uts", "--pid", "--fork", "--mount-proc", "--propagation", "private", "sh", "-c", script.toString())
                    .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("init.log").toFile()));
            builder.environment().put("REAPER", REAPER);
            Process unshare = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(unshare.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            if (!"ready".equals(line)) {
                throw new IllegalStateException("host " + name + " did not start: " + Files.readString(dir.resolve("init.log")));
            }
            String children = Files.readString(Path.of("/proc", String.valueOf(unshare.pid()), "task",
                    String.valueOf(unshare.pid()), "children")).strip();
            this.unshare = unshare;
            initPid = Long.parseLong(children.split("\\s+")[0]);
        } catch (Exception e) {
            throw new IllegalStateException("starting host " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs a shell command inside the host, as root, like a shell on the container's console. */
    public Exec.Result exec(String command) {
        if (initPid == 0) {
            throw new IllegalStateException("host " + name + " is off");
        }
        return Exec.run(List.of("nsenter", "-t", String.valueOf(initPid), "-n", "-m", "-u", "-p", "sh", "-c", command),
                EXEC_TIMEOUT);
    }

    /** Where PATH (absolute, inside the host) lives on the machine; only the private directories are mapped. */
    public Path hostPath(String path) {
        for (Map.Entry<String, String> entry : PRIVATE_DIRS.entrySet()) {
            if (path.startsWith(entry.getKey() + "/")) {
                return dir.resolve(entry.getValue()).resolve(path.substring(entry.getKey().length() + 1));
            }
        }
        throw new IllegalArgumentException(path + " is not in one of the host's private directories " + PRIVATE_DIRS.keySet());
    }

    public boolean exists(String path) {
        return Files.exists(hostPath(path));
    }

    public String readFile(String path) {
        return new String(TestBed.read(hostPath(path)), StandardCharsets.UTF_8);
    }

    public long modifiedMillis(String path) {
        try {
            return Files.getLastModifiedTime(hostPath(path)).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String path, String content, String octalMode) {
        write(path, content.getBytes(StandardCharsets.UTF_8), octalMode);
    }

    private void write(String path, byte[] content, String octalMode) {
        try {
            Path file = hostPath(path);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            Exec.run("chmod", octalMode, file.toString()).orThrow("chmod " + path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- daemons -------------------------------------------------------------------------------------------------------

    public void startSshd() {
        exec("/usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/sshd.log").orThrow("starting sshd on " + name);
    }

    public void stopSshd() {
        exec("[ -f /run/sshd.pid ] && kill $(cat /run/sshd.pid); rm -f /run/sshd.pid");
    }

    /** A new host key, as after reinstalling the container; sshd is restarted with it. */
    public void regenerateHostKey() {
        stopSshd();
        generateHostKey();
        startSshd();
    }

    private void generateHostKey() {
        Path key = hostPath("/etc/ssh/ssh_host_ed25519_key");
        Exec.run("rm", "-f", key.toString(), key + ".pub");
        Exec.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()).orThrow("host key for " + name);
    }

    /** "SHA256:..." of the host key, as ssh-keygen prints it. */
    public String hostKeyFingerprint() {
        return Exec.run("ssh-keygen", "-lf", hostPath("/etc/ssh/ssh_host_ed25519_key.pub").toString())
                .orThrow("fingerprint").stdout().split(" ")[1];
    }

    /** The known_hosts line an admin would put in the Secret for this host. */
    public String knownHostsLine() {
        String[] publicKey = readFile("/etc/ssh/ssh_host_ed25519_key.pub").strip().split(" ");
        return address + " " + publicKey[0] + " " + publicKey[1] + "\n";
    }

    public Exec.Result systemctl(String arguments) {
        return exec("systemctl " + arguments);
    }

    /**
     * Gives eth0 the IPv6 ADDRESS (in {@link TestBed#SUBNET6}) now and at every start. Without duplicate address detection
     * (the bed's addresses are unique, and a tentative address could not send adverts for a second), and kept when eth0
     * goes down administratively (Linux would flush it; the bed's link down, a switch port, keeps it anyway).
     */
    public void addAddress6(String address) {
        Exec.run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv6.conf.eth0.keep_addr_on_down=1")
                .orThrow("keeping the IPv6 addresses of " + name + " on link down");
        TestBed.ip(namespace, "-6", "addr", "replace", address + "/" + TestBed.PREFIX6_LENGTH, "dev", "eth0", "nodad");
        address6 = address;
    }

    public void startTraefik() {
        systemctl("start traefik").orThrow("starting traefik on " + name);
        for (int i = 0; i < 50 && exec("curl -fsS -m 1 -o /dev/null http://127.0.0.1:8080/ping").exitCode() != 0; i++) {
            TestBed.sleep(100);
        }
    }

    /** Traefik hangs: the process stays (SIGSTOP) but answers nothing, so its health check fails. */
    public void hangTraefik() {
        exec("kill -STOP $(cat /run/bed-traefik.pid)").orThrow("stopping traefik on " + name);
    }

    public void resumeTraefik() {
        exec("kill -CONT $(cat /run/bed-traefik.pid)").orThrow("resuming traefik on " + name);
    }

    /** Traefik dies (SIGKILL), as in a crash or an OOM kill. */
    public void killTraefik() {
        exec("kill -KILL $(cat /run/bed-traefik.pid)").orThrow("killing traefik on " + name);
    }

    /**
     * keepalived dies without a goodbye: SIGSTOP first so neither process can react, then SIGKILL to the parent and the
     * VRRP child. (Killing the parent alone lets the child send a priority-0 advert, a graceful handover.)
     */
    public void crashKeepalived() {
        exec("p=$(cat /run/keepalived.pid) v=$(cat /run/keepalived_vrrp.pid); kill -STOP $p $v; kill -KILL $p $v")
                .orThrow("crashing keepalived on " + name);
    }

    /**
     * The host's next "systemctl VERB SERVICE" fails once, as systemctl does when the unit's job fails (keepalived's
     * reload, lsyncd's restart), and leaves the daemon as it was.
     */
    public void failOnce(String verb, String service) {
        write("/run/bed-fail-once", verb + " " + service + "\n", "600");
    }

    public boolean keepalivedRunning() {
        return systemctl("is-active --quiet keepalived").exitCode() == 0;
    }

    /** The host's switch port goes down, like a pulled cable between the host and the LAN. */
    public void linkDown() {
        TestBed.ip(bed.switchNamespace(), "link", "set", TestBed.portName(name), "down");
    }

    public void linkUp() {
        TestBed.ip(bed.switchNamespace(), "link", "set", TestBed.portName(name), "up");
    }

    /** Whether the address (IPv4 or IPv6, as ip prints it) is configured on the host's eth0. */
    public boolean holds(String ipAddress) {
        return Exec.run(List.of("ip", "-n", namespace, "-o", "addr", "show", "dev", "eth0"), EXEC_TIMEOUT)
                .stdout().contains(" " + ipAddress + "/");
    }

    @Override
    public String toString() {
        return name + "(" + address + ")";
    }
}
