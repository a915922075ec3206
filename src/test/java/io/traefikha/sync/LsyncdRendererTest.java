package io.traefikha.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.traefikha.api.v1alpha1.SyncSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsyncdRendererTest {

    static final SyncKeyPair KEY = new SyncKeyPair("not a real key".getBytes(StandardCharsets.UTF_8),
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBaseSixtyFour traefik-ha-sync");
    static final List<String> HOST_KEYS = List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey", "ssh-rsa AAAAB3NzaRsaKey");

    static LsyncdFiles homelab() {
        SyncSpec spec = new SyncSpec();
        spec.paths = List.of("/etc/traefik", "/etc/traefik-certs/");
        spec.exclude = List.of("*.log", "*.pid", ".git/");
        spec.delay = "1500ms";
        return LsyncdRenderer.render(spec, "homelab", "192.168.1.110", "192.168.1.111", 22, HOST_KEYS, KEY);
    }

    @Test
    void configMatchesTheGoldenFile() throws IOException {
        assertThat(homelab().config()).isEqualTo(resource("lsyncd.conf.lua.golden"));
    }

    @Test
    void rsyncOnlyWrapperMatchesTheGoldenFile() throws IOException {
        assertThat(homelab().rsyncOnly()).isEqualTo(resource("rsync-only.sh.golden"));
    }

    @Test
    void theSyncKeyIsRestrictedToTheWrapperAndThePrimarysAddress() {
        assertThat(homelab().authorizedKeyLine()).isEqualTo("restrict,from=\"192.168.1.110\",command=\""
                + LsyncdRenderer.RSYNC_ONLY_PATH + "\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBaseSixtyFour traefik-ha-sync\n");
        assertThat(homelab().knownHosts()).isEqualTo("192.168.1.111 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey\n"
                + "192.168.1.111 ssh-rsa AAAAB3NzaRsaKey\n");
    }

    @Test
    void anotherSshPortIsWrittenTheWayKnownHostsExpectsIt() {
        LsyncdFiles files = LsyncdRenderer.render(new SyncSpec(), "c", "10.0.0.1", "10.0.0.2", 2222, HOST_KEYS.subList(0, 1), KEY);
        assertThat(files.knownHosts()).startsWith("[10.0.0.2]:2222 ssh-ed25519 ");
        assertThat(files.config()).contains("-p 2222");
    }

    /** Three replicas: one sync per synced path and secondary, both secondaries' keys known, one forced command. */
    @Test
    void withTwoSecondariesEachPathIsSyncedToEachAndBothAreKnownHosts() {
        SyncSpec spec = new SyncSpec();
        spec.paths = List.of("/etc/traefik", "/etc/traefik-certs/");
        LsyncdFiles files = LsyncdRenderer.render(spec, "homelab", "192.168.1.110", List.of(
                new LsyncdRenderer.Target("192.168.1.111", 22, HOST_KEYS),
                new LsyncdRenderer.Target("192.168.1.112", 2222, HOST_KEYS.subList(0, 1))), KEY);

        assertThat(files.config()).contains("to the secondaries 192.168.1.111, 192.168.1.112 with rsync");
        assertThat(files.config().lines().filter(line -> line.strip().startsWith("target = ")).toList()).containsExactly(
                "    target = \"root@192.168.1.111:/etc/traefik/\",", "    target = \"root@192.168.1.112:/etc/traefik/\",",
                "    target = \"root@192.168.1.111:/etc/traefik-certs/\",",
                "    target = \"root@192.168.1.112:/etc/traefik-certs/\",");
        assertThat(files.config().lines().filter(line -> line.contains("rsh = ")).map(line -> line.contains("-p 2222")))
                .containsExactly(false, true, false, true);
        assertThat(files.knownHosts()).isEqualTo("192.168.1.111 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey\n"
                + "192.168.1.111 ssh-rsa AAAAB3NzaRsaKey\n"
                + "[192.168.1.112]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey\n");
        assertThat(files.rsyncOnly()).as("the same forced command on every secondary").isEqualTo(homelab().rsyncOnly());
        assertThat(files.authorizedKeyLine()).isEqualTo(homelab().authorizedKeyLine());
    }

    @Test
    void refusesAnAddressThatCouldBreakOutOfItsQuotes() {
        assertThatThrownBy(() -> LsyncdRenderer.render(new SyncSpec(), "c", "10.0.0.1\",command=\"sh", "10.0.0.2", 22,
                HOST_KEYS, KEY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void excludesAreLuaStringLiterals() {
        assertThat(LsyncdRenderer.lua("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    /** The forced command run by sh with a stand-in rsync that prints what it was asked to do. */
    @Test
    void theWrapperLetsOnlyReceivingRsyncIntoTheSyncedPathsThrough(@TempDir Path dir) throws Exception {
        Path wrapper = wrapper(dir);

        // what lsyncd's startup and event runs make rsync 3.5 send (captured), and an older or pre-release rsync's flags
        for (String sent : List.of("rsync --server -logDtpre.iLsfxCIvu --delete --ignore-errors . /etc/traefik/",
                "rsync --server -logDtpre.iLsfxCIvu --delete --force --ignore-errors . /etc/traefik/",
                "rsync --server -logDtpre.iLsfxC . /etc/traefik-certs", "rsync --server -logDtpre32.1LsfxC . /etc/traefik")) {
            assertThat(wrapped(wrapper, dir, sent)).as(sent).isEqualTo("ran " + sent);
        }
        for (String refused : List.of("cat /etc/shadow", "rsync --server --sender -logDtpr . /etc/traefik/",
                "rsync --server -logDtpre.iLsfxCIvu . /etc/ssh/", "rsync --server -logDtpre.iLsfxCIvu . /etc/traefik/../ssh/",
                "rsync --server --log-file=/tmp/x . /etc/traefik/", "rsync --server . /etc/traefik/;sh",
                "rsync --server -logDtpre.iLsfxCIvu /etc/passwd /etc/traefik/", "rsync --server -T/etc/ssh . /etc/traefik/",
                "rsync --server -logDtpr . /etc/traefik/", "rsync --server -logDtpre.iLsfxCIvu . /etc/traefik/ /root/",
                "rsync --server -logDtpre.iLsfxCIvu")) {
            assertThat(wrapped(wrapper, dir, refused)).as(refused).startsWith("traefik-ha-rsync-only: refused");
        }
    }

    /** Each option that could write outside the synced paths is refused by name, wherever rsync would put it. */
    @Test
    void theRefusalNamesTheOption(@TempDir Path dir) throws Exception {
        Path wrapper = wrapper(dir);
        String flags = "-logDtpre.iLsfxCIvu";
        Map<String, String> refusedAs = Map.ofEntries(
                Map.entry("rsync --server -logDtpKre.iLsfxCIvu . /etc/traefik/", "option -K in -logDtpKre.iLsfxCIvu"),
                Map.entry("rsync --server -logDtpLre.iLsfxCIvu . /etc/traefik/", "option -L in "),
                Map.entry("rsync --server -logDtpkre.iLsfxCIvu . /etc/traefik/", "option -k in "),
                Map.entry("rsync --server -blogDtpre.iLsfxCIvu . /etc/traefik/", "option -b in "),
                Map.entry("rsync --server -logDtpre.iLsfxCIvuK . /etc/traefik/", "protocol flags e.iLsfxCIvuK"),
                Map.entry("rsync --server " + flags + " --keep-dirlinks . /etc/traefik/", "option --keep-dirlinks"),
                Map.entry("rsync --server " + flags + " --copy-unsafe-links . /etc/traefik/", "option --copy-unsafe-links"),
                Map.entry("rsync --server " + flags + " --temp-dir /tmp . /etc/traefik/", "option --temp-dir"),
                Map.entry("rsync --server " + flags + " --temp-dir=/ . /etc/traefik/", "option --temp-dir=/"),
                Map.entry("rsync --server " + flags + " --partial-dir /tmp . /etc/traefik/", "option --partial-dir"),
                Map.entry("rsync --server " + flags + " --backup-dir=/tmp . /etc/traefik/", "option --backup-dir=/tmp"),
                Map.entry("rsync --server " + flags + " --log-file=/tmp/x . /etc/traefik/", "option --log-file=/tmp/x"),
                Map.entry("rsync --server " + flags + " --delete-after . /etc/traefik/", "option --delete-after"),
                Map.entry("rsync --server --sender " + flags + " . /etc/traefik/", "option --sender"),
                Map.entry("rsync --server " + flags + " . /tmp/", "destination /tmp/"),
                Map.entry("rsync --server " + flags + " . /etc/traefik/..", "destination /etc/traefik/.."),
                Map.entry("rsync " + flags + " . /etc/traefik/", "not an rsync server command"),
                Map.entry("rsync --server " + flags + " . /etc/traefik/ && id", "unexpected characters"));
        refusedAs.forEach((command, reason) -> assertThat(wrapped(wrapper, dir, command)).as(command)
                .startsWith("traefik-ha-rsync-only: refused: " + reason));
    }

    private static Path wrapper(Path dir) throws IOException {
        Path wrapper = dir.resolve("rsync-only.sh");
        Files.writeString(wrapper, homelab().rsyncOnly());
        Path fakeRsync = dir.resolve("rsync");
        Files.writeString(fakeRsync, "#!/bin/sh\necho \"ran rsync $*\"\n");
        fakeRsync.toFile().setExecutable(true);
        return wrapper;
    }

    private static String wrapped(Path wrapper, Path dir, String originalCommand) {
        try {
            ProcessBuilder builder = new ProcessBuilder("sh", wrapper.toString()).redirectErrorStream(true);
            builder.environment().putAll(Map.of("SSH_ORIGINAL_COMMAND", originalCommand, "PATH", dir + ":/usr/bin:/bin"));
            Process process = builder.start();
            process.getOutputStream().close();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static String resource(String name) throws IOException {
        try (InputStream in = LsyncdRendererTest.class.getResourceAsStream("/sync/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
