package io.traefikha.keepalived;

import io.traefikha.node.NodeSession;
import io.traefikha.node.RemoteFile;
import java.util.List;

/**
 * Brings keepalived on one node to the rendered files: installs what the scripts need, uploads only what differs, and
 * touches the running daemon only when something changed. keepalived is reloaded (SIGHUP), not restarted, when it is
 * already running: a reload keeps the VIP where it is unless the new configuration says otherwise.
 */
public final class KeepalivedDeployment {

    /** keepalived itself, and what the health check uses to ask Traefik. */
    public static final List<String> PACKAGES = List.of("keepalived", "curl", "jq");

    private KeepalivedDeployment() {
    }

    public enum Action { NONE, STARTED, RELOADED }

    /** What {@link #apply} did. */
    public record Outcome(List<String> changedFiles, Action action) {
    }

    public static Outcome apply(NodeSession session, KeepalivedFiles files) {
        PACKAGES.forEach(session::ensurePackage);
        List<String> changed = files.remoteFiles().stream().filter(session::upload).map(RemoteFile::path).toList();
        session.run("systemctl is-enabled --quiet keepalived || systemctl enable keepalived")
                .orThrow("enabling keepalived on " + session.endpoint());
        boolean active = session.run("systemctl is-active --quiet keepalived").succeeded();
        Action action = !active ? Action.STARTED : changed.isEmpty() ? Action.NONE : Action.RELOADED;
        switch (action) {
            case STARTED -> session.run("systemctl start keepalived").orThrow("starting keepalived on " + session.endpoint());
            case RELOADED -> session.run("systemctl reload keepalived").orThrow("reloading keepalived on " + session.endpoint());
            case NONE -> { }
        }
        return new Outcome(changed, action);
    }
}
