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
