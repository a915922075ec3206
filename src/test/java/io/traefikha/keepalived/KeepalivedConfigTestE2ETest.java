package io.traefikha.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.RemoteFile;
import io.traefikha.domain.Role;
import io.traefikha.testbed.BedHost;
import io.traefikha.testbed.Exec;
import io.traefikha.testbed.HaPair;
import io.traefikha.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** keepalived's own config test (keepalived -t) on every rendered variant, inside a host that has the interface. */
@Tag("e2e")
class KeepalivedConfigTestE2ETest {

    @Test
    void keepalivedAcceptsEveryRenderedVariant() {
        try (TestBed bed = TestBed.create()) {
            BedHost host = bed.addHost("traefik", HaPair.PRIMARY_ADDRESS);
            for (String variant : KeepalivedRendererTest.variantNames()) {
                TraefikHAClusterSpec spec = HaPair.spec(KeepalivedRendererTest.variants().get(variant).apply(ClusterSpecs.homelab()));
                for (Role role : Role.pair()) {
                    KeepalivedFiles files = KeepalivedRenderer.render(spec, "bed", role, KeepalivedRendererTest.passwordFor(spec));
                    for (RemoteFile file : files.remoteFiles()) {
                        host.write(file.path(), new String(file.content(), StandardCharsets.UTF_8),
                                Integer.toOctalString(file.mode()));
                    }
                    Exec.Result test = host.exec("keepalived -t -f " + KeepalivedPaths.CONFIG + " 2>&1");
                    assertThat(test.exitCode()).as(variant + "/" + role + ": " + test.stdout()).isZero();
                    assertThat(test.stdout()).as(variant + "/" + role).doesNotContainIgnoringCase("warning");
                }
            }
            host.write(KeepalivedPaths.CONFIG, "vrrp_instance broken {\n    interface eth9\n}\n", "600");
            assertThat(host.exec("keepalived -t -f " + KeepalivedPaths.CONFIG).exitCode())
                    .as("the config test can fail").isNotZero();
        }
    }
}
