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

    /** Paths of the host's private views, and the directory under the host's bed dir that backs each. */
    private static final Map<String, String> PRIVATE_DIRS = Map.of(
            "/etc", "etc", "/usr/local/bin", "usr-local-bin", "/var/log", "var-log", "/run", "run");
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
    private final String address;
    private final String namespace;
    private final Path dir;
    private long initPid;

    BedHost(TestBed bed, String name, String address, String namespace, Path dir) {
        this.bed = bed;
        this.name = name;
        this.address = address;
        this.namespace = namespace;
        this.dir = dir;
    }

    public String name() {
        return name;
    }

    public String address() {
        return address;
    }

    void boot(String authorizedKeys) {
        try {
            Files.createDirectories(dir);
            Exec.run("cp", "-a", "/etc", dir.resolve("etc").toString()).orThrow("copying /etc for " + name);
            for (String backing : List.of("usr-local-bin", "var-log", "run/sshd")) {
                Files.createDirectories(dir.resolve(backing));
            }
            Exec.run("chmod", "-R", "go-w", dir.toString());
            Exec.run("sh", "-c", "rm -f " + dir.resolve("etc/ssh") + "/ssh_host_*").orThrow("removing copied host keys");
            Exec.run("mkdir", "-p", dir.resolve("etc/traefik").toString(), dir.resolve("etc/keepalived").toString());
            write("/etc/hostname", name + "\n", "644");
            write("/etc/hosts", "127.0.0.1 localhost\n127.0.1.1 " + name + "\n", "644");
            write("/etc/ssh/sshd_config", sshdConfig(), "644");
            write("/etc/ssh/bed_authorized_keys", authorizedKeys, "600");
            write("/usr/local/bin/systemctl", TestBed.resource("systemctl"), "755");
            write("/usr/local/bin/traefik", TestBed.resource("traefik"), "755");
            generateHostKey();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startInit();
        startSshd();
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
        PRIVATE_DIRS.forEach((path, backing) ->
                script.append("mount --bind ").append(dir.resolve(backing)).append(' ').append(path).append('\n'));
        script.append("hostname ").append(name).append('\n');
        script.append("exec python3 -c \"$REAPER\"\n");
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
            initPid = Long.parseLong(children.split("\\s+")[0]);
        } catch (Exception e) {
            throw new IllegalStateException("starting host " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs a shell command inside the host, as root, like a shell on the container's console. */
    public Exec.Result exec(String command) {
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

    public void startTraefik() {
        systemctl("start traefik").orThrow("starting traefik on " + name);
        for (int i = 0; i < 50 && exec("curl -fsS -m 1 -o /dev/null http://127.0.0.1:8080/ping").exitCode() != 0; i++) {
            TestBed.sleep(100);
        }
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

    /** Whether the address is configured on the host's eth0. */
    public boolean holds(String ipAddress) {
        return Exec.run(List.of("ip", "-n", namespace, "-o", "-4", "addr", "show", "dev", "eth0"), EXEC_TIMEOUT)
                .stdout().contains(" " + ipAddress + "/");
    }

    @Override
    public String toString() {
        return name + "(" + address + ")";
    }
}
