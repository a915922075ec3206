package io.traefikha.proxmox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The netN property string of a container ({@code name=eth0,bridge=vmbr0,gw=..,hwaddr=..,ip=../24,type=veth}).
 * Parsing keeps every key, so a rewrite changes only what was asked: changing the IP keeps {@code hwaddr}, without
 * which Proxmox would generate a new MAC. Rendered the way Proxmox stores it: name first, the other keys sorted,
 * type last.
 */
public final class NetConfig {

    private final Map<String, String> properties;

    private NetConfig(Map<String, String> properties) {
        if (!properties.containsKey("name")) {
            throw new IllegalArgumentException("net property string needs name=<interface>");
        }
        this.properties = Collections.unmodifiableMap(properties);
    }

    public static NetConfig parse(String propertyString) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String part : propertyString.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not a key=value pair in net property string: '" + part + "'");
            }
            properties.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return new NetConfig(properties);
    }

    /** A veth interface on a bridge with a static IPv4 address (CIDR) and gateway. */
    public static NetConfig staticIpv4(String name, String bridge, String cidr, String gateway) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("name", name);
        properties.put("bridge", bridge);
        properties.put("ip", cidr);
        if (gateway != null) {
            properties.put("gw", gateway);
        }
        properties.put("type", "veth");
        return new NetConfig(properties);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    public String name() {
        return properties.get("name");
    }

    public Optional<String> bridge() {
        return get("bridge");
    }

    /** ip: CIDR, dhcp or manual. */
    public Optional<String> ip() {
        return get("ip");
    }

    public Optional<String> gateway() {
        return get("gw");
    }

    public Optional<String> hwaddr() {
        return get("hwaddr");
    }

    /** The same interface with another value for one key; everything else (hwaddr included) is kept. */
    public NetConfig with(String key, String value) {
        Map<String, String> changed = new LinkedHashMap<>(properties);
        if (value == null) {
            changed.remove(key);
        } else {
            changed.put(key, value);
        }
        return new NetConfig(changed);
    }

    /** Readdresses the interface, keeping its MAC and all other settings. */
    public NetConfig withIpv4(String cidr, String gateway) {
        return with("ip", cidr).with("gw", gateway);
    }

    /** The property string as Proxmox stores it. */
    public String format() {
        StringBuilder out = new StringBuilder("name=").append(properties.get("name"));
        Map<String, String> sorted = new TreeMap<>(properties);
        sorted.remove("name");
        String type = sorted.remove("type");
        sorted.forEach((key, value) -> out.append(',').append(key).append('=').append(value));
        if (type != null) {
            out.append(",type=").append(type);
        }
        return out.toString();
    }

    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetConfig net && net.properties.equals(properties);
    }

    @Override
    public int hashCode() {
        return properties.hashCode();
    }

    @Override
    public String toString() {
        return format();
    }
}
