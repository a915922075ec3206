package io.traefikha.simulator.adguard;

/** One stored DNS rewrite of the simulator. */
public record Rewrite(String domain, String answer, boolean enabled) {

    public Rewrite(String domain, String answer) {
        this(domain, answer, true);
    }
}
