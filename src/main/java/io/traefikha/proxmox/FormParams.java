package io.traefikha.proxmox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Request parameters encoded the way Proxmox parses them: booleans as 1/0 (the strings true/false fail its type
 * check), absent values left out, percent-encoding with %20 for spaces (multi-line values such as
 * ssh-public-keys keep their newlines as %0A).
 */
public final class FormParams {

    private final Map<String, String> values = new LinkedHashMap<>();

    public static FormParams create() {
        return new FormParams();
    }

    /** Adds {@code name} unless {@code value} is null; Boolean becomes 1/0, everything else its string form. */
    public FormParams put(String name, Object value) {
        if (value instanceof Boolean bool) {
            values.put(name, bool ? "1" : "0");
        } else if (value != null) {
            values.put(name, value.toString());
        }
        return this;
    }

    public FormParams putAll(Map<String, ?> more) {
        more.forEach(this::put);
        return this;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** application/x-www-form-urlencoded text, the body of a POST or PUT (GET and DELETE send {@link #asMap()}). */
    public String encode() {
        return values.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return values.keySet().toString();
    }
}
