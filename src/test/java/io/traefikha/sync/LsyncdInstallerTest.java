package io.traefikha.sync;

import static org.assertj.core.api.Assertions.assertThat;

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
    void generatedKeysAreFreshEd25519AndNeverPrinted() {
        SyncKeyPair one = SyncKeyPair.generate();
        SyncKeyPair two = SyncKeyPair.generate();
        assertThat(one.publicKey()).startsWith("ssh-ed25519 AAAA").endsWith(" traefik-ha-sync");
        assertThat(new String(one.privateKey())).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(one).isNotEqualTo(two);
        assertThat(one.toString()).doesNotContain("PRIVATE").contains("redacted");
    }
}
