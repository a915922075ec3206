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
        Path wrapper = dir.resolve("rsync-only.sh");
        Files.writeString(wrapper, homelab().rsyncOnly());
        Path fakeRsync = dir.resolve("rsync");
        Files.writeString(fakeRsync, "#!/bin/sh\necho \"ran rsync $*\"\n");
        fakeRsync.toFile().setExecutable(true);

        assertThat(wrapped(wrapper, dir, "rsync --server -logDtpre.iLsfxCIvu --delete --ignore-errors . /etc/traefik/"))
                .isEqualTo("ran rsync --server -logDtpre.iLsfxCIvu --delete --ignore-errors . /etc/traefik/");
        assertThat(wrapped(wrapper, dir, "rsync --server -logDtpre.iLsfxCIvu . /etc/traefik-certs")).startsWith("ran rsync");
        for (String refused : List.of("cat /etc/shadow", "rsync --server --sender -logDtpr . /etc/traefik/",
                "rsync --server -logDtpr . /etc/ssh/", "rsync --server -logDtpr . /etc/traefik/../ssh/",
                "rsync --server --log-file=/tmp/x . /etc/traefik/", "rsync --server . /etc/traefik/;sh",
                "rsync --server -logDtpr /etc/passwd /etc/traefik/", "rsync --server -T/etc/ssh . /etc/traefik/")) {
            assertThat(wrapped(wrapper, dir, refused)).as(refused).startsWith("traefik-ha-rsync-only: refused");
        }
    }

    private static String wrapped(Path wrapper, Path dir, String originalCommand) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", wrapper.toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("SSH_ORIGINAL_COMMAND", originalCommand, "PATH", dir + ":/usr/bin:/bin"));
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = LsyncdRendererTest.class.getResourceAsStream("/sync/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
