package io.traefikha.keepalived;

import io.traefikha.domain.RemoteFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files one node needs, rendered for its role.
 *
 * @param healthCa        the CA the check verifies Traefik's certificate with ({@link TraefikHealth#caFile()}), if the spec
 *                        has one
 * @param heartbeatScript the script the check runs to push the node's heartbeat
 * @param heartbeatConfig curl's config naming the node's heartbeat URL, or saying there is none
 * @param traefikHook     what Traefik's drop-in runs when the unit started or stopped; null without healthCheck.trackProcess
 * @param dropIn          the drop-in on Traefik's unit that runs it; null without healthCheck.trackProcess
 */
public record KeepalivedFiles(String keepalivedConf, String checkScript, String notifyScript, String notifyWebhook,
                              Optional<RemoteFile> healthCa, String heartbeatScript, String heartbeatConfig,
                              RemoteFile traefikHook, RemoteFile dropIn) {

    /**
     * What to upload: the config and the webhook's and heartbeat's curl configs are readable by root only since they may
     * carry the VRRP password and tokens. The curl configs are written even without a URL, so a URL removed from the
     * spec does not stay behind on the node.
     */
    public List<RemoteFile> remoteFiles() {
        List<RemoteFile> files = new ArrayList<>();
        // the CA before the check script that names it
        healthCa.ifPresent(files::add);
        files.addAll(List.of(
                RemoteFile.rootOwned(KeepalivedPaths.CHECK_SCRIPT, checkScript, 0755),
                RemoteFile.rootOwned(KeepalivedPaths.NOTIFY_SCRIPT, notifyScript, 0755)));
        // the hook before the drop-in that names it, both before the configuration that tracks the hook's file
        if (traefikHook != null) {
            files.add(traefikHook);
            files.add(dropIn);
        }
        files.addAll(List.of(
                RemoteFile.rootOwned(KeepalivedPaths.NOTIFY_WEBHOOK, notifyWebhook, 0600),
                RemoteFile.rootOwned(KeepalivedPaths.CONFIG, keepalivedConf, 0600),
                RemoteFile.rootOwned(KeepalivedPaths.LOGROTATE, LOGROTATE, 0644),
                // the check script goes on (exit status unchanged) while the heartbeat it runs is not there yet
                RemoteFile.rootOwned(KeepalivedPaths.HEARTBEAT_CONFIG, heartbeatConfig, 0600),
                RemoteFile.rootOwned(KeepalivedPaths.HEARTBEAT_SCRIPT, heartbeatScript, 0755)));
        return List.copyOf(files);
    }

    /** The seed's rotation of the logs the check and notify scripts append to: weekly, four kept, compressed. */
    static final String LOGROTATE = KeepalivedPaths.STATE_LOG + "\n" + KeepalivedPaths.CHECK_LOG + " {\n"
            + "    weekly\n"
            + "    rotate 4\n"
            + "    compress\n"
            + "    missingok\n"
            + "    notifempty\n"
            + "    create 0640 root adm\n"
            + "}\n";

    @Override
    public String toString() {
        return "KeepalivedFiles[keepalived.conf, check script, notify script, notify webhook, heartbeat"
                + (dropIn == null ? "" : ", Traefik hook and drop-in") + "]";
    }
}
