package io.traefikha.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The resident set size of this process, as Linux reports it in /proc/self/status. */
final class ResidentMemory {

    private ResidentMemory() {
    }

    static String describe() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MiB (RSS)").findFirst().orElse("unknown");
        } catch (IOException | NumberFormatException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
