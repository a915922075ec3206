package io.traefikha.simulator.proxmox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One container: where it lives, whether it runs, and its config file (options, description, pending section,
 * snapshots). The digest is SHA-1 over the file text laid out as Proxmox writes it. Guarded by the cluster lock.
 */
final class SimContainer {

    record Snapshot(String name, String description, long snaptime, String parent, Map<String, String> config) {
    }

    final int vmid;
    String node;
    boolean running;
    long startedAt;
    /** How many times the container was started: which run of it a stop or shutdown task was asked to end. */
    int boots;
    /** Power state as last broadcast by the status daemon; null until the first broadcast. */
    String broadcastStatus;
    final Map<String, String> config = new TreeMap<>();
    final Map<String, String> pending = new TreeMap<>();
    final TreeSet<String> pendingDelete = new TreeSet<>();
    final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
    /** Fault: the init system ignores shutdown requests, so only a forced stop ends the container. */
    boolean ignoresShutdown;
    /** The firewall file; destroyed with the container, copied by a clone. */
    SimFirewall firewall = new SimFirewall();

    SimContainer(int vmid, String node) {
        this.vmid = vmid;
        this.node = node;
    }

    String lock() {
        return config.get("lock");
    }

    String hostname() {
        return config.getOrDefault("hostname", "CT" + vmid);
    }

    boolean template() {
        return "1".equals(config.get("template"));
    }

    /** The latest snapshot, the "parent" of the current state. */
    String parentSnapshot() {
        String last = null;
        for (String name : snapshots.keySet()) {
            last = name;
        }
        return last;
    }

    /** Applies the pending section, as a start or reboot does. */
    void applyPending() {
        config.putAll(pending);
        pendingDelete.forEach(config::remove);
        pending.clear();
        pendingDelete.clear();
    }

    /** The config file text: description comment, sorted options, pending section, snapshot sections. */
    String fileText() {
        StringBuilder text = new StringBuilder();
        appendSection(text, config);
        if (!pending.isEmpty() || !pendingDelete.isEmpty()) {
            text.append("\n[pve:pending]\n");
            Map<String, String> section = new TreeMap<>(pending);
            if (!pendingDelete.isEmpty()) {
                section.put("delete", String.join(",", pendingDelete));
            }
            appendSection(text, section);
        }
        for (Snapshot snapshot : snapshots.values()) {
            text.append("\n[").append(snapshot.name()).append("]\n");
            Map<String, String> section = new TreeMap<>(snapshot.config());
            section.put("snaptime", Long.toString(snapshot.snaptime()));
            if (snapshot.parent() != null) {
                section.put("parent", snapshot.parent());
            }
            appendSection(text, section);
        }
        return text.toString();
    }

    private static void appendSection(StringBuilder text, Map<String, String> options) {
        String description = options.get("description");
        if (description != null) {
            description.lines().forEach(line -> text.append('#').append(line).append('\n'));
        }
        options.forEach((key, value) -> {
            if (!key.equals("description")) {
                text.append(key).append(": ").append(value).append('\n');
            }
        });
    }

    String digest() {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(fileText().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Config size of the root disk in bytes (rootfs size=NG), 4 GiB when unknown as Proxmox assumes. */
    long maxDisk() {
        String rootfs = config.getOrDefault("rootfs", "");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("size=(\\d+)([GM])").matcher(rootfs);
        if (!m.find()) {
            return 4L << 30;
        }
        return Long.parseLong(m.group(1)) << (m.group(2).equals("G") ? 30 : 20);
    }
}
