package io.traefikha.demo;

import java.time.Duration;

/**
 * How fast the demo moves. The operator's own defaults (15 s period, DNS soak times of hours) would make a newcomer
 * wait; the demo shortens them so the resource visibly goes to Ready and moves its DNS groups within a minute.
 *
 * @param reconcilePeriod how often the operator looks at the resource (production default 15 s)
 * @param busyPeriod how soon it looks again while something is under way (production default 5 s)
 * @param dnsSoakTime replaces the example's {@code soakTime: 24h} between DNS groups
 * @param proxmoxTask how long each simulated Proxmox task (clone, start, migrate...) runs
 * @param proxmoxStats how often the simulated Proxmox learns power states (pvestatd: 10 s)
 */
public record DemoTiming(Duration reconcilePeriod, Duration busyPeriod, Duration dnsSoakTime, Duration proxmoxTask,
        Duration proxmoxStats) {

    public static DemoTiming lively() {
        return new DemoTiming(Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(8),
                Duration.ofMillis(300), Duration.ofSeconds(1));
    }
}
