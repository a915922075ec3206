package io.traefikha.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import io.traefikha.http.TlsTrust;

/** The small codecs: net property strings, form encoding, UPIDs, fingerprints. */
class CodecTest {

    @Test
    void netConfigChangesTheIpAndKeepsTheMac() {
        NetConfig net = NetConfig.parse("name=eth0,bridge=vmbr0,firewall=1,gw=192.168.1.1,hwaddr=BC:24:11:5E:7A:10,ip=192.168.1.110/24,type=veth");
        NetConfig moved = net.withIpv4("192.168.1.111/24", "192.168.1.1");
        assertThat(moved.hwaddr()).contains("BC:24:11:5E:7A:10");
        assertThat(moved.format()).isEqualTo(
                "name=eth0,bridge=vmbr0,firewall=1,gw=192.168.1.1,hwaddr=BC:24:11:5E:7A:10,ip=192.168.1.111/24,type=veth");
        assertThat(NetConfig.parse(moved.format())).isEqualTo(moved);
        assertThat(NetConfig.staticIpv4("eth0", "vmbr0", "10.0.0.5/24", null).format()).isEqualTo("name=eth0,bridge=vmbr0,ip=10.0.0.5/24,type=veth");
        assertThatThrownBy(() -> NetConfig.parse("bridge=vmbr0")).hasMessageContaining("name=");
    }

    @Test
    void formParamsEncodeBooleansAsDigitsAndKeepNewlines() {
        String encoded = FormParams.create().put("full", true).put("force", false).put("skip", null)
                .put("ssh-public-keys", "ssh-ed25519 AAA a@b\nssh-rsa BBB c@d").encode();
        assertThat(encoded).isEqualTo("full=1&force=0&ssh-public-keys=ssh-ed25519%20AAA%20a%40b%0Assh-rsa%20BBB%20c%40d");
    }

    @Test
    void upidNamesNodeTypeIdAndTokenUser() {
        Upid upid = Upid.parse("UPID:pve1:000A1B2C:0123ABCD:66F0A1B2:vzstart:105:root@pam!ci:");
        assertThat(upid.node()).isEqualTo("pve1");
        assertThat(upid.type()).isEqualTo("vzstart");
        assertThat(upid.id()).isEqualTo("105");
        assertThat(upid.user()).isEqualTo("root@pam!ci");
        assertThat(upid.startTime()).isEqualTo(0x66F0A1B2L);
        assertThatThrownBy(() -> Upid.parse("UPID:pve1:nothex")).hasMessageContaining("unable to parse worker upid");
    }

    @Test
    void fingerprintIsNormalisedAndChecked() {
        String hex = "ab".repeat(32);
        assertThat(new TlsTrust.Fingerprint(hex).sha256()).isEqualTo(("AB:".repeat(32)).substring(0, 95));
        assertThatThrownBy(() -> TlsTrust.fingerprint("AB:CD")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void taskStatusSuccessIncludesWarnings() {
        assertThat(new TaskStatus("u", "n", "stopped", "OK", "t", "1", "u").succeeded()).isTrue();
        assertThat(new TaskStatus("u", "n", "stopped", "WARNINGS: 2", "t", "1", "u").succeeded()).isTrue();
        assertThat(new TaskStatus("u", "n", "stopped", "CT is locked (disk)", "t", "1", "u").succeeded()).isFalse();
        assertThat(new TaskStatus("u", "n", "running", null, "t", "1", "u").succeeded()).isFalse();
    }
}
