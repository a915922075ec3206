package io.traefikha.demo.kubeapi;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A request URL split into its path and decoded query parameters, and what it addresses when it names a resource:
 * {@code /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUBRESOURCE]]} or the same under {@code /apis/GROUP/VERSION}.
 */
record ApiRequest(String path, Map<String, String> query) {

    /** Where a resource URL points. {@code namespace}, {@code name} and {@code subresource} may be null. */
    record Location(String groupVersionPath, String namespace, String plural, String name, String subresource) {
    }

    static ApiRequest of(String url) {
        int question = url.indexOf('?');
        String path = question < 0 ? url : url.substring(0, question);
        Map<String, String> query = new LinkedHashMap<>();
        if (question >= 0) {
            for (String pair : url.substring(question + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int equals = pair.indexOf('=');
                    query.putIfAbsent(decode(equals < 0 ? pair : pair.substring(0, equals)),
                            equals < 0 ? "" : decode(pair.substring(equals + 1)));
                }
            }
        }
        return new ApiRequest(path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path,
                query);
    }

    String parameter(String name) {
        return query.get(name);
    }

    boolean isWatch() {
        String watch = query.get("watch");
        return "true".equals(watch) || "1".equals(watch);
    }

    /** This URL without the named query parameters, re-encoded. */
    String urlWithout(String... names) {
        Map<String, String> kept = new LinkedHashMap<>(query);
        for (String name : names) {
            kept.remove(name);
        }
        return kept.isEmpty() ? path : path + "?" + kept.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
    }

    Optional<Location> location() {
        String[] parts = path.substring(1).split("/");
        int groupVersionLength;
        if (parts.length >= 3 && parts[0].equals("api")) {
            groupVersionLength = 2;
        } else if (parts.length >= 4 && parts[0].equals("apis")) {
            groupVersionLength = 3;
        } else {
            return Optional.empty();
        }
        String groupVersionPath = String.join("/", Arrays.copyOfRange(parts, 0, groupVersionLength));
        String[] rest = Arrays.copyOfRange(parts, groupVersionLength, parts.length);
        String namespace = null;
        // namespaces/NS/PLURAL...: a namespaced resource; namespaces[/NS[/status]]: the Namespace itself
        if (rest.length >= 3 && rest[0].equals("namespaces") && !rest[2].equals("status") && !rest[2].equals("finalize")) {
            namespace = rest[1];
            rest = Arrays.copyOfRange(rest, 2, rest.length);
        }
        return Optional.of(new Location(groupVersionPath, namespace, rest[0], rest.length > 1 ? rest[1] : null,
                rest.length > 2 ? rest[2] : null));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
