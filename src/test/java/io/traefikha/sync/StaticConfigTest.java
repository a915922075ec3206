package io.traefikha.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StaticConfigTest {

    static final List<String> SYNCED = List.of("/etc/traefik");

    @Test
    void aWatchedDirectoryInsideTheSyncedPathsIsFine() {
        StaticConfig config = StaticConfig.parse("traefik.yml", """
                providers:
                  file:
                    directory: /etc/traefik/dynamic
                    watch: true
                certificatesResolvers:
                  letsencrypt:
                    acme:
                      storage: /etc/traefik/acme.json
                """);
        assertThat(config.fileProviderProblem(SYNCED)).isEmpty();
        assertThat(config.acmeStorage()).containsExactly("/etc/traefik/acme.json");
    }

    @Test
    void watchDefaultsToTrueAsInTraefik() {
        assertThat(StaticConfig.parse("traefik.yaml", "providers:\n  file:\n    filename: /etc/traefik/dynamic.yml\n")
                .fileProviderProblem(SYNCED)).isEmpty();
    }

    @Test
    void reportsWatchFalseAMissingProviderAndADirectoryOutsideTheSyncedPaths() {
        assertThat(StaticConfig.parse("traefik.yml", "providers:\n  file:\n    directory: /etc/traefik/d\n    watch: false\n")
                .fileProviderProblem(SYNCED)).hasValueSatisfying(p -> assertThat(p).contains("watch is false"));
        assertThat(StaticConfig.parse("traefik.yml", "entryPoints:\n  web:\n    address: ':80'\n")
                .fileProviderProblem(SYNCED)).hasValueSatisfying(p -> assertThat(p).contains("not configured"));
        assertThat(StaticConfig.parse("traefik.yml", "providers:\n  file:\n    directory: /etc/traefik-dynamic\n")
                .fileProviderProblem(SYNCED)).hasValueSatisfying(p -> assertThat(p).contains("outside the synced paths"));
    }

    @Test
    void readsTheTomlTables() {
        StaticConfig config = StaticConfig.parse("traefik.toml", """
                [providers.file]
                  directory = "/etc/traefik/dynamic"
                  watch = false  # set by hand
                [certificatesResolvers.le.acme]
                  storage = "/etc/traefik/le.json"
                """);
        assertThat(config.fileProviderDirectory()).isEqualTo("/etc/traefik/dynamic");
        assertThat(config.fileProviderWatch()).isFalse();
        assertThat(config.acmeStorage()).containsExactly("/etc/traefik/le.json");
    }

    @Test
    void defaultStaticPathsAreTraefiksFileNamesAtEachSyncedRoot() {
        assertThat(StaticConfig.paths(List.of("/etc/traefik/"), List.of())).containsExactly("/etc/traefik/traefik.yml",
                "/etc/traefik/traefik.yaml", "/etc/traefik/traefik.toml");
        assertThat(StaticConfig.paths(SYNCED, List.of("/etc/traefik/static.yml"))).containsExactly("/etc/traefik/static.yml");
    }
}
