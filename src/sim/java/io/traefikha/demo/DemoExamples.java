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
 * point at 192.168.1.x, which the demo never dials. The demo's copy writes the secondary as the one entry of
 * spec.secondaries, with a third replica on proxmox3 one uncommented line away.
 */
public final class DemoExamples {

    /** The rewritten copies, to apply again with kubectl. */
    public record Applied(Path secrets, Path cluster) {
    }

    /** The secondary block of the example, its four fields in groups 1 to 4. */
    private static final Pattern SECONDARY_BLOCK = Pattern.compile("(?m)^  secondary:\n    node: (\\S+).*\n"
            + "    vmid: (\\d+)\n    hostname: (\\S+)\n    address: (\\S+)\n");
    private static final String SECONDARIES = """
              secondaries:                       # one line per replica after the primary, each on its own Proxmox host
                - {node: %s, vmid: %s, hostname: %s, address: %s}
                # - {node: proxmox3, vmid: %d, hostname: traefik-3, address: 192.168.1.%d/24}   # a third replica: uncomment, apply
            """;

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
        cluster = asSecondaries(clusterFile, cluster);

        String header = "# Written by the traefik-ha-operator demo: deploy/examples/%s with the URLs, fingerprint and\n"
                + "# credentials of the simulators in the demo process%s.\n";
        return new Applied(write(workDir.resolve("secrets.yaml"), header.formatted("secrets.yaml", "") + secrets),
                write(workDir.resolve("traefikhacluster.yaml"),
                        header.formatted("traefikhacluster.yaml", ", and a DNS soak time of seconds instead of 24h") + cluster));
    }

    /** The secondary block as a list of one, the third replica commented out below it. */
    private static String asSecondaries(Path file, String cluster) {
        Matcher block = SECONDARY_BLOCK.matcher(cluster);
        if (!block.find()) {
            throw new IllegalStateException(file + " no longer has the secondary block the demo rewrites as"
                    + " spec.secondaries (node, vmid, hostname, address, in this order)");
        }
        String list = SECONDARIES.formatted(block.group(1), block.group(2), block.group(3), block.group(4),
                DemoHomelab.THIRD_VMID, DemoHomelab.THIRD_VMID);
        return cluster.substring(0, block.start()) + list + cluster.substring(block.end());
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
