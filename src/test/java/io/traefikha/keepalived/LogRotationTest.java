package io.traefikha.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The seed's logrotate configuration for the logs the check and notify scripts write, on every node. */
class LogRotationTest {

    @Test
    void bothScriptLogsAreRotatedWeeklyKeepingFourCompressed() {
        KeepalivedFiles files = KeepalivedRenderer.render(ClusterSpecs.homelab(), "traefik", Role.SECONDARY, null);

        RemoteFile rotation = files.remoteFiles().stream().filter(f -> f.path().equals(KeepalivedPaths.LOGROTATE))
                .findFirst().orElseThrow();

        assertThat(new String(rotation.content(), StandardCharsets.UTF_8)).isEqualTo("""
                /var/log/keepalived-state.log
                /var/log/keepalived-checks.log {
                    weekly
                    rotate 4
                    compress
                    missingok
                    notifempty
                    create 0640 root adm
                }
                """);
        assertThat(rotation.mode()).isEqualTo(0644);
        assertThat(KeepalivedPaths.WRITTEN).as("restored on Rollback like the other files").contains(KeepalivedPaths.LOGROTATE);
    }
}
