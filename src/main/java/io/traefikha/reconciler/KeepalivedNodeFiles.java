package io.traefikha.reconciler;

import io.traefikha.api.TraefikHAClusterSpec;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.keepalived.KeepalivedRenderer;
import io.traefikha.keepalived.Role;
import io.traefikha.reconciler.plan.ManagedFile;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The keepalived files each node must hold, as the node planner compares and writes them. */
public final class KeepalivedNodeFiles {

    private KeepalivedNodeFiles() {
    }

    /**
     * @param password the VRRP PASS password for VRRP version 2, null for version 3
     */
    public static Map<Role, List<ManagedFile>> render(TraefikHAClusterSpec spec, String clusterName, String password) {
        Map<Role, List<ManagedFile>> files = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            files.put(role, KeepalivedRenderer.render(spec, clusterName, role, password).remoteFiles().stream()
                    .map(file -> new ManagedFile(file, file.path().equals(KeepalivedPaths.CONFIG))).toList());
        }
        return files;
    }
}
