package io.traefikha.keepalived;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.Role;
import io.traefikha.domain.Uptake;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The keepalived files each node must hold, as the node planner compares and writes them. */
public final class KeepalivedNodeFiles {

    private KeepalivedNodeFiles() {
    }

    /**
     * @param password the VRRP PASS password for VRRP version 2, null for version 3
     */
    public static Map<Role, List<ManagedFile>> render(TraefikHAClusterSpec spec, String clusterName, String password) {
        return render(spec, clusterName, password, Optional.empty());
    }

    /**
     * @param pinnedHolder the node a VIP handover keeps the VIP on (see {@link KeepalivedRenderer#render(TraefikHAClusterSpec,
     *                     String, Role, String, Optional)}), or empty
     */
    public static Map<Role, List<ManagedFile>> render(TraefikHAClusterSpec spec, String clusterName, String password,
            Optional<Role> pinnedHolder) {
        return render(spec, clusterName, password, pinnedHolder, spec.vip.notifyWebhookUrl);
    }

    /** @param webhookUrl the notify webhook's URL, from the spec or its Secret; null for none */
    public static Map<Role, List<ManagedFile>> render(TraefikHAClusterSpec spec, String clusterName, String password,
            Optional<Role> pinnedHolder, String webhookUrl) {
        return render(spec, clusterName, password, pinnedHolder, webhookUrl, Map.of());
    }

    /** @param heartbeatUrls each node's heartbeat URL from spec.heartbeat's Secret (none for a node not in the map) */
    public static Map<Role, List<ManagedFile>> render(TraefikHAClusterSpec spec, String clusterName, String password,
            Optional<Role> pinnedHolder, String webhookUrl, Map<Role, String> heartbeatUrls) {
        Map<Role, List<ManagedFile>> files = new TreeMap<>();
        for (Role role : spec.roles()) {
            files.put(role, render(spec, clusterName, VrrpNode.of(spec, role, pinnedHolder), password, webhookUrl,
                    heartbeatUrls.get(role)));
        }
        return files;
    }

    /** The files of one VRRP node, whatever the number of replicas (see {@link VrrpNode}). */
    public static List<ManagedFile> render(TraefikHAClusterSpec spec, String clusterName, VrrpNode node, String password,
            String webhookUrl, String heartbeatUrl) {
        return KeepalivedRenderer.render(spec, clusterName, node, password, webhookUrl, heartbeatUrl).remoteFiles().stream()
                .map(file -> new ManagedFile(file, uptake(file.path()))).toList();
    }

    private static Uptake uptake(String path) {
        if (path.equals(KeepalivedPaths.CONFIG)) {
            return Uptake.AT_LOAD;
        }
        if (KeepalivedPaths.isSystemdUnitFile(path)) {
            return Uptake.AT_DAEMON_RELOAD;
        }
        return KeepalivedPaths.LOADED.contains(path) ? Uptake.RUN_VETTED_AT_LOAD : Uptake.AT_USE;
    }
}
