package io.traefikha.proxmox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * GET config of a container: every set option (numbers for integers and 0/1 booleans, strings otherwise) and the
 * {@code digest} to pass back to {@link ConfigUpdate#digest(String)} for an optimistic-lock update.
 */
public record ContainerConfig(Map<String, Object> values) {

    public ContainerConfig {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String digest() {
        return string("digest").orElseThrow(() -> new IllegalStateException("config without digest"));
    }

    public Optional<String> string(String key) {
        return Optional.ofNullable(values.get(key)).map(Object::toString);
    }

    public Optional<String> hostname() {
        return string("hostname");
    }

    /** The storage id of the rootfs volume ({@code local-lvm} of {@code local-lvm:vm-110-disk-0,size=8G}). */
    public Optional<String> rootfsStorage() {
        return string("rootfs").map(v -> v.split(",")[0]).map(v -> v.startsWith("volume=") ? v.substring(7) : v)
                .filter(v -> v.contains(":")).map(v -> v.substring(0, v.indexOf(':')));
    }

    /**
     * The container's disks (rootfs, mpN) by storage id, each storage with the bytes of its disks' {@code size}
     * ({@code local-lvm:vm-110-disk-0,size=8G}, or {@code volume=...}); bind mounts (a path, no storage) are left out.
     */
    public Map<String, Long> diskBytesByStorage() {
        Map<String, Long> bytes = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.equals("rootfs") || key.matches("mp\\d+")) {
                String[] parts = String.valueOf(value).split(",");
                String volume = parts[0].replaceFirst("^volume=", "");
                if (volume.contains(":") && !volume.startsWith("/")) {
                    long size = 0;
                    for (String part : parts) {
                        if (part.startsWith("size=")) {
                            size = sizeBytes(part.substring(5));
                        }
                    }
                    bytes.merge(volume.substring(0, volume.indexOf(':')), size, Long::sum);
                }
            }
        });
        return bytes;
    }

    /** A pve-container disk size: a number with an optional unit K, M, G or T (bytes without one). */
    static long sizeBytes(String size) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]?)").matcher(size.strip());
        if (!m.matches()) {
            return 0;
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return (long) (Double.parseDouble(m.group(1)) * (1L << shift));
    }

    /** The memory option in MiB (Proxmox's default 512 when unset). */
    public long memoryMib() {
        return string("memory").map(Long::parseLong).orElse(512L);
    }

    public boolean unprivileged() {
        return string("unprivileged").map("1"::equals).orElse(false);
    }

    /** The features option as set (e.g. {@code nesting=1,keyctl=1}), empty when none. */
    public String features() {
        return string("features").orElse("");
    }

    public Optional<String> lock() {
        return string("lock");
    }

    /** Proxmox stores the description as comment lines and returns it with a trailing newline; this strips that. */
    public Optional<String> description() {
        return string("description").map(d -> d.endsWith("\n") ? d.substring(0, d.length() - 1) : d);
    }

    public boolean template() {
        return string("template").map("1"::equals).orElse(false);
    }

    /** netN parsed, if set. */
    public Optional<NetConfig> net(int index) {
        return string("net" + index).map(NetConfig::parse);
    }

    /** All netN interfaces by index. */
    public Map<Integer, NetConfig> nets() {
        Map<Integer, NetConfig> nets = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.matches("net\\d+")) {
                nets.put(Integer.parseInt(key.substring(3)), NetConfig.parse(value.toString()));
            }
        });
        return nets;
    }
}
