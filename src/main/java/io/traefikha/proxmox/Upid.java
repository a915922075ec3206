package io.traefikha.proxmox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Proxmox task id: {@code UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:}. Tasks are node-local, so
 * status and log must be asked of {@link #node()}.
 */
public record Upid(String value, String node, long pid, long pstart, long startTime, String type, String id, String user) {

    private static final Pattern FORMAT = Pattern.compile(
            "UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):"
                    + "([^:\\s/]+):([^:\\s/]*):([^:\\s/]+):");

    public static Upid parse(String value) {
        Matcher m = value == null ? null : FORMAT.matcher(value);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("unable to parse worker upid '" + value + "'");
        }
        return new Upid(value, m.group(1), Long.parseLong(m.group(3), 16), Long.parseLong(m.group(4), 16),
                Long.parseLong(m.group(5), 16), m.group(6), m.group(7), m.group(8));
    }

    @Override
    public String toString() {
        return value;
    }
}
