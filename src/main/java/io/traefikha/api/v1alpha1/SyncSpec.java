package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Copying the primary's Traefik configuration to the secondary. */
@ValidationRule(value = "!has(self.staticConfig) || !has(self.paths) || self.staticConfig.all(f, self.paths.exists(p,"
        + " f.startsWith(p + '/')))",
        message = "sync.staticConfig must name files inside sync.paths")
public class SyncSpec {

    static final String DEFAULT_PATH = "/etc/traefik";

    @Default("Lsyncd")
    @JsonPropertyDescription("Lsyncd: real-time sync by lsyncd on the primary, verified by hash every period. Push: the operator"
            + " compares hashes and copies changes itself every period. Off: no sync.")
    public SyncMode mode = SyncMode.Lsyncd;

    @JsonPropertyDescription("Absolute directories on the primary to replicate; the sync overwrites them on the secondary,"
            + " so each must be a Traefik configuration tree: a directory named after Traefik (e.g. /etc/traefik,"
            + " /opt/traefik/config), never a system directory, a program or library directory, /proc, /sys, /dev, /run,"
            + " /tmp or the operator's /etc/traefik-ha. Default: /etc/traefik.")
    @Default("[\"" + DEFAULT_PATH + "\"]")
    @ValidationRule(value = "self.all(p, p.matches('" + Patterns.NORMAL_ABSOLUTE_PATH + "'))",
            message = "sync.paths must be absolute directories without '.', '..' or empty segments and without a trailing '/'")
    @ValidationRule(value = "self.all(p, !p.matches('" + Patterns.NEVER_SYNCED_TREE + "'))",
            message = "sync.paths must not reach into /proc, /sys, /dev, /run, /tmp, /boot, program or library directories"
                    + " or the operator's /etc/traefik-ha")
    @ValidationRule(value = "self.all(p, p.matches('" + Patterns.TRAEFIK_NAMED_TREE + "'))",
            message = "sync.paths must be Traefik configuration trees: a directory named after Traefik such as /etc/traefik,"
                    + " never a system directory such as / or /etc")
    @ValidationRule(value = "self.all(p, self.exists_one(q, q == p) && self.all(q, !q.startsWith(p + '/')))",
            message = "sync.paths must not repeat a directory or list one inside another")
    @Size(min = 1, max = 16)
    public List<@Size(max = 255) String> paths = new ArrayList<>(List.of(DEFAULT_PATH));

    /** Logs (Traefik's access log may live beside its configuration), rotated logs and pid files: never configuration. */
    static final List<String> DEFAULT_EXCLUDES = List.of("*.log", "*.log.[0-9]*", "*.gz", "*.pid");

    @JsonPropertyDescription("rsync-style patterns (a name, * and ? and [...] wildcards, a trailing / for a directory)"
            + " that are never copied, deleted or compared. Default: *.log, *.log.[0-9]* and *.gz (logs and rotated logs,"
            + " e.g. access.log.1, access.log.2.gz), *.pid. A list given here replaces the default.")
    public List<String> exclude = new ArrayList<>(DEFAULT_EXCLUDES);

    @JsonPropertyDescription("Absolute paths of Traefik's static configuration, whose change needs a restart. Default:"
            + " traefik.yml, traefik.yaml and traefik.toml at the root of each synced path.")
    @ValidationRule(value = "self.all(p, p.startsWith('/'))", message = "sync.staticConfig must be absolute paths")
    @Size(max = 16)
    public List<@Size(max = 255) String> staticConfig = new ArrayList<>();

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
