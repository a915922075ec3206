package io.traefikha.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of Traefik's static configuration the sync depends on: where the file provider reads dynamic configuration
 * and whether it watches it, and where ACME storage lives. Reads YAML fully; of TOML only the two tables concerned.
 *
 * @param fileProviderDirectory {@code providers.file.directory}, or null
 * @param fileProviderFilename  {@code providers.file.filename}, or null
 * @param fileProviderWatch     {@code providers.file.watch}; Traefik's default is true
 * @param fileProviderPresent   whether {@code providers.file} is configured at all
 * @param acmeStorage           {@code certificatesResolvers.*.acme.storage} values
 */
public record StaticConfig(boolean fileProviderPresent, String fileProviderDirectory, String fileProviderFilename,
                           boolean fileProviderWatch, Set<String> acmeStorage) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern TOML_TABLE = Pattern.compile("^\\s*\\[([^\\]]+)]\\s*(#.*)?$");
    private static final Pattern TOML_KEY = Pattern.compile("^\\s*([A-Za-z0-9_]+)\\s*=\\s*(.+?)\\s*(#.*)?$");
    private static final Pattern ACME_TABLE = Pattern.compile("^certificatesResolvers\\.[^.]+\\.acme$");

    public StaticConfig {
        acmeStorage = Set.copyOf(acmeStorage);
    }

    /**
     * The default static configuration files: traefik.yml, traefik.yaml and traefik.toml at the root of each synced
     * path (where Traefik looks when started with {@code --configFile} pointing there, as on Debian), or the spec's list.
     */
    public static List<String> paths(List<String> syncPaths, List<String> configured) {
        if (configured != null && !configured.isEmpty()) {
            return List.copyOf(configured);
        }
        List<String> defaults = new ArrayList<>();
        for (String root : syncPaths) {
            String base = root.endsWith("/") ? root : root + "/";
            for (String name : List.of("traefik.yml", "traefik.yaml", "traefik.toml")) {
                defaults.add(base + name);
            }
        }
        return defaults;
    }

    /** @throws IllegalArgumentException when the YAML does not parse */
    public static StaticConfig parse(String fileName, String content) {
        return fileName.endsWith(".toml") ? parseToml(content) : parseYaml(content);
    }

    private static StaticConfig parseYaml(String content) {
        JsonNode root;
        try {
            root = YAML.readTree(content);
        } catch (IOException e) {
            throw new IllegalArgumentException("static configuration is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            return new StaticConfig(false, null, null, true, Set.of());
        }
        JsonNode file = root.path("providers").path("file");
        Set<String> storage = new LinkedHashSet<>();
        root.path("certificatesResolvers").forEach(resolver -> {
            JsonNode value = resolver.path("acme").path("storage");
            if (value.isTextual()) {
                storage.add(value.asText());
            }
        });
        return new StaticConfig(file.isObject(), text(file.path("directory")), text(file.path("filename")),
                !file.path("watch").isBoolean() || file.path("watch").asBoolean(), storage);
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    /** Enough TOML for {@code [providers.file]} and {@code [certificatesResolvers.NAME.acme]}: string and boolean keys. */
    private static StaticConfig parseToml(String content) {
        Map<String, Map<String, String>> tables = new HashMap<>();
        String table = "";
        for (String line : content.split("\n")) {
            Matcher header = TOML_TABLE.matcher(line);
            Matcher key = TOML_KEY.matcher(line);
            if (header.matches()) {
                table = header.group(1).strip();
                tables.computeIfAbsent(table, t -> new HashMap<>());
            } else if (key.matches()) {
                tables.computeIfAbsent(table, t -> new HashMap<>()).put(key.group(1), unquote(key.group(2)));
            }
        }
        Map<String, String> file = tables.get("providers.file");
        Set<String> storage = new LinkedHashSet<>();
        tables.forEach((name, keys) -> {
            if (ACME_TABLE.matcher(name).matches() && keys.containsKey("storage")) {
                storage.add(keys.get("storage"));
            }
        });
        Map<String, String> keys = file == null ? Map.of() : file;
        return new StaticConfig(file != null, keys.get("directory"), keys.get("filename"),
                !"false".equals(keys.get("watch")), storage);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'")) ? value.substring(1, value.length() - 1)
                : value;
    }

    /**
     * Why dynamic files in the synced paths would not take effect on their own, or empty when the file provider watches
     * a directory or file inside them.
     */
    public Optional<String> fileProviderProblem(List<String> syncPaths) {
        if (!fileProviderPresent) {
            return Optional.of("Traefik's file provider is not configured (providers.file): synced dynamic configuration"
                    + " is not loaded");
        }
        String watched = fileProviderDirectory != null ? fileProviderDirectory : fileProviderFilename;
        if (watched == null) {
            return Optional.of("providers.file names neither a directory nor a filename");
        }
        if (syncPaths.stream().noneMatch(root -> watched.equals(root) || watched.startsWith(root.endsWith("/") ? root : root + "/"))) {
            return Optional.of("providers.file reads " + watched + ", which is outside the synced paths " + syncPaths);
        }
        if (!fileProviderWatch) {
            return Optional.of("providers.file.watch is false: synced dynamic configuration is only loaded on a restart");
        }
        return Optional.empty();
    }
}
