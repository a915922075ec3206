package io.traefikha.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/examples as the demo applies them: the same files with the simulators' URLs, fingerprint and credentials and
 * a short DNS soak time, written to the demo's work directory. The examples themselves stay user documentation and
 * point at 192.168.1.x, which the demo never dials.
 */
public final class DemoExamples {

    /** The rewritten copies, to apply again with kubectl. */
    public record Applied(Path secrets, Path cluster) {
    }

    private DemoExamples() {
    }

    static Applied rewrite(Path examples, Path workDir, DemoHomelab homelab, DemoTiming timing) {
        Path secretsFile = examples.resolve("secrets.yaml");
        String secrets = read(secretsFile);
        secrets = replaceOnce(secretsFile, secrets, "(?m)^([ \\t]*tokenSecret: ).*$", quoted(homelab.proxmox().tokenSecret()));
        secrets = replaceOnce(secretsFile, secrets, "(?m)^([ \\t]*password: )REPLACE-ME$", quoted(homelab.adguardPassword()));

        Path clusterFile = examples.resolve("traefikhacluster.yaml");
        String cluster = read(clusterFile);
        cluster = replaceOnce(clusterFile, cluster, "(?m)^([ \\t]*url: )https://192\\.168\\.1\\.137:8006$", homelab.proxmox().baseUrl());
        cluster = replaceOnce(clusterFile, cluster, "(?m)^([ \\t]*fingerprint: )\"[0-9A-F:]+\"$", quoted(homelab.proxmox().fingerprint()));
        cluster = replaceOnce(clusterFile, cluster, "(?m)^([ \\t]*url: )http://192\\.168\\.1\\.253:3000$", homelab.adguard().url());
        cluster = replaceOnce(clusterFile, cluster, "(?m)^([ \\t]*soakTime: )24h$", timing.dnsSoakTime().toSeconds() + "s");

        String header = "# Written by the traefik-ha-operator demo: deploy/examples/%s with the URLs, fingerprint and\n"
                + "# credentials of the simulators in the demo process%s.\n";
        return new Applied(write(workDir.resolve("secrets.yaml"), header.formatted("secrets.yaml", "") + secrets),
                write(workDir.resolve("traefikhacluster.yaml"),
                        header.formatted("traefikhacluster.yaml", ", and a DNS soak time of seconds instead of 24h") + cluster));
    }

    /** Replaces the value after group 1 of the one line {@code regex} matches; fails naming the file if it does not. */
    private static String replaceOnce(Path file, String text, String regex, String value) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException(file + " no longer has a line matching " + regex
                    + ": the demo substitutes the simulators' values there");
        }
        if (matcher.find()) {
            throw new IllegalStateException(file + " has more than one line matching " + regex);
        }
        return matcher.reset().replaceFirst("$1" + Matcher.quoteReplacement(value));
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
