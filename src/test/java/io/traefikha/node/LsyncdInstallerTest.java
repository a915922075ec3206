package io.traefikha.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.sync.SyncKeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class LsyncdInstallerTest {

    static final String OPERATOR = "ssh-ed25519 AAAAoperator operator@k8s";
    static final String SYNC = "restrict,from=\"10.0.0.1\",command=\"/x\" ssh-ed25519 AAAAnew traefik-ha-sync";

    @Test
    void addsTheSyncKeyOnceKeepingEveryOtherKey() {
        String first = LsyncdInstaller.withSyncKey(OPERATOR + "\n", SYNC + "\n");
        assertThat(first).isEqualTo(OPERATOR + "\n" + SYNC + "\n");
        assertThat(LsyncdInstaller.withSyncKey(first, SYNC)).isEqualTo(first);
    }

    @Test
    void replacesAnEarlierSyncKey() {
        String old = OPERATOR + "\nrestrict ssh-ed25519 AAAAold traefik-ha-sync\n";
        assertThat(LsyncdInstaller.withSyncKey(old, SYNC)).isEqualTo(OPERATOR + "\n" + SYNC + "\n");
        assertThat(LsyncdInstaller.withSyncKey("", SYNC)).isEqualTo(SYNC + "\n");
    }

    @Test
    void rollbackTakesOutOnlyTheSyncKey() {
        String withKey = LsyncdInstaller.withSyncKey(OPERATOR + "\n", SYNC);
        assertThat(LsyncdInstaller.withoutSyncKey(withKey)).isEqualTo(OPERATOR + "\n");
        assertThat(LsyncdInstaller.withoutSyncKey(SYNC + "\n")).isEmpty();
        String untouched = OPERATOR + "\n\n# a comment\n";
        assertThat(LsyncdInstaller.withoutSyncKey(untouched)).as("no sync key: byte for byte the same").isSameAs(untouched);
    }

    @Test
    void theKeyKeptInTheSecretGivesTheSamePair() {
        SyncKeyPair generated = SyncKeyPair.generate();

        SyncKeyPair read = SyncKeyPair.fromPrivateKey(generated.privateKey());

        assertThat(read).isEqualTo(generated);
        assertThat(read.publicKey()).isEqualTo(generated.publicKey());
        assertThatThrownBy(() -> SyncKeyPair.fromPrivateKey("not a key".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("not a key");
    }

    @Test
    void aStartWithoutAnyFileChangeIsARepair() {
        assertThat(new LsyncdOutcome(List.of(), true).repaired()).isTrue();
        assertThat(new LsyncdOutcome(List.of("/etc/lsyncd/lsyncd.conf.lua"), true).repaired()).isFalse();
        assertThat(new LsyncdOutcome(List.of(), false).repaired()).isFalse();
    }

    @Test
    void generatedKeysAreFreshEd25519AndNeverPrinted() {
        SyncKeyPair one = SyncKeyPair.generate();
        SyncKeyPair two = SyncKeyPair.generate();
        assertThat(one.publicKey()).startsWith("ssh-ed25519 AAAA").endsWith(" traefik-ha-sync");
        assertThat(new String(one.privateKey())).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(one).isNotEqualTo(two);
        assertThat(one.toString()).doesNotContain("PRIVATE").contains("redacted");
    }
}
