package io.traefikha.planner;

import io.traefikha.domain.ServedName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which moved names to request through the VIP in a round, and what their last checks say. The checks are spread over
 * up to {@link #PERIODS_PER_SWEEP} periods: a round takes a quarter of the names, at least {@link #AT_LEAST_PER_ROUND}
 * (the longest unchecked first), so 26 names cost at most 7 requests a period, one after the other, and each is seen
 * at least every four periods; four names or fewer are each seen every period. A name never checked or not served at
 * its last check is asked again every round: that is the evidence the DNS migration waits for. All of a round's checks
 * share {@link #BUDGET}; what does not fit is first in the next round.
 */
public final class ServedNamesPlanner {

    public static final int PERIODS_PER_SWEEP = 4;
    /** A handful of names are each checked every period. */
    public static final int AT_LEAST_PER_ROUND = 4;
    /** The most time a round spends checking names (each check's timeout is cut to what is left). */
    public static final Duration BUDGET = Duration.ofSeconds(5);
    /** One check: connect, handshake and status line; a LAN answer takes milliseconds. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A certificate expiring sooner than this is reported as ExpiringSoon (the alert uses the same 14 days). */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(14);
    /** How many names a condition message lists. */
    private static final int LISTED = 10;

    private ServedNamesPlanner() {
    }

    /**
     * @param moved the names that resolve to the VIP by the migration, in group order
     * @param last each name's last check (names without one were never checked)
     * @return the names to check now, most urgent first
     */
    public static List<String> toCheck(List<String> moved, Map<String, ServedName> last, Instant now, Duration period) {
        Set<String> chosen = new LinkedHashSet<>();
        moved.stream().filter(name -> !last.containsKey(name)).forEach(chosen::add);
        moved.stream().filter(name -> last.containsKey(name) && !last.get(name).served()).forEach(chosen::add);
        int perRound = Math.max(AT_LEAST_PER_ROUND, (moved.size() + PERIODS_PER_SWEEP - 1) / PERIODS_PER_SWEEP);
        int sweepPeriods = Math.max(1, (moved.size() + perRound - 1) / perRound);
        // due half a period before the sweep comes round again: rounds faster than the period do not check more often
        Instant dueBefore = now.minus(period.multipliedBy(sweepPeriods).minus(period.dividedBy(2)));
        moved.stream().filter(name -> last.containsKey(name) && !chosen.contains(name))
                .filter(name -> !last.get(name).checkedAt().isAfter(dueBefore))
                .sorted(Comparator.comparing((String name) -> last.get(name).checkedAt()))
                .limit(perRound).forEach(chosen::add);
        return List.copyOf(chosen);
    }

    /** The moved names in order, each with its newest check: from this round, else the last one kept. */
    public static List<ServedName> latest(List<String> moved, Map<String, ServedName> last, List<ServedName> checked) {
        Map<String, ServedName> now = checked.stream().collect(Collectors.toMap(ServedName::name, c -> c, (a, b) -> b));
        List<ServedName> latest = new ArrayList<>();
        for (String name : moved) {
            Optional.ofNullable(now.getOrDefault(name, last.get(name))).ifPresent(latest::add);
        }
        return latest;
    }

    /** CertificatesValid: its status (True, False, Unknown), reason and message. */
    public record Certificates(String status, String reason, String message) {
    }

    /**
     * False while a certificate a moved name presented would be refused by a client (expired, another name, an unknown
     * CA), True otherwise, saying which expires soonest; Unknown while no certificate has been seen.
     */
    public static Certificates certificates(int moved, List<ServedName> latest, Instant now) {
        if (moved == 0) {
            return new Certificates("Unknown", "NoNamesMoved", "no DNS name has been moved to the VIP (not yet, or"
                    + " spec.dns.provider is None), or spec.vip.httpsPort is 0 and names are not asked through the VIP");
        }
        List<ServedName> seen = latest.stream().filter(n -> n.notAfter() != null).toList();
        if (seen.isEmpty()) {
            return new Certificates("Unknown", "NotSeen", "no certificate seen yet: " + (latest.isEmpty()
                    ? "no name checked yet" : "none of the " + latest.size() + " names checked answered over TLS"));
        }
        ServedName soonest = seen.stream().min(Comparator.comparing(ServedName::notAfter)).orElseThrow();
        String expiry = "soonest expiry " + soonest.notAfter() + " (" + soonest.name() + ", "
                + inDays(Duration.between(now, soonest.notAfter())) + ")";
        String unseen = seen.size() < moved ? "; " + (moved - seen.size()) + " of " + moved + " names not seen yet" : "";
        List<ServedName> invalid = seen.stream().filter(n -> n.certificateProblem() != null).toList();
        if (!invalid.isEmpty()) {
            String named = invalid.stream().limit(LISTED).map(n -> n.name() + ": " + n.certificateProblem())
                    .collect(Collectors.joining("; "));
            String more = invalid.size() > LISTED ? "; and " + (invalid.size() - LISTED) + " more" : "";
            return new Certificates("False", "Invalid", invalid.size() + " of " + seen.size() + " certificates would be"
                    + " refused by a client: " + named + more + "; " + expiry + unseen);
        }
        boolean soon = soonest.notAfter().isBefore(now.plus(EXPIRY_WARNING));
        return new Certificates("True", soon ? "ExpiringSoon" : "Valid", "all " + seen.size() + " certificates seen are"
                + " valid; " + expiry + unseen);
    }

    private static String inDays(Duration left) {
        if (left.isNegative()) {
            return "expired";
        }
        long days = left.toDays();
        return days >= 1 ? "in " + days + " days" : "in " + Math.max(0, left.toHours()) + " hours";
    }

    /** Names whose last check did not get an answer, in the order given. */
    public static List<String> notServed(List<ServedName> latest) {
        return latest.stream().filter(n -> !n.served()).map(ServedName::name).toList();
    }
}
