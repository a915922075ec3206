package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.ServedName;
import io.traefikha.planner.ServedNamesPlanner.Certificates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which moved names a round checks through the VIP, and what CertificatesValid says of their last checks. */
class ServedNamesPlannerTest {

    private static final Duration PERIOD = Duration.ofSeconds(15);
    private static final Instant NOW = Instant.parse("2026-12-06T02:00:00Z");
    /** The seed's 26 names. */
    private static final List<String> NAMES = IntStream.rangeClosed(1, 26).mapToObj(i -> "n" + i + ".lan").toList();
    private static final String ISSUER = "CN=R11,O=Let's Encrypt,C=US";

    private static ServedName served(String name, Instant checkedAt) {
        return new ServedName(name, true, null, ISSUER, NOW.plus(Duration.ofDays(60)), null, checkedAt);
    }

    private static ServedName notServed(String name, Instant checkedAt) {
        return new ServedName(name, false, "cannot connect to 192.168.1.100:443: Connection refused", null, null, null,
                checkedAt);
    }

    private static ServedName certificate(String name, Instant notAfter, String problem) {
        return new ServedName(name, true, null, ISSUER, notAfter, problem, NOW);
    }

    /** Every name checked once, a quarter per period over the last four periods (the steady state). */
    private static Map<String, ServedName> staggered() {
        Map<String, ServedName> last = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            last.put(NAMES.get(i), served(NAMES.get(i), NOW.minus(PERIOD.multipliedBy(4 - i / 7))));
        }
        return last;
    }

    static Stream<Arguments> rounds() {
        Map<String, ServedName> steady = staggered();
        Map<String, ServedName> oneDown = new LinkedHashMap<>(steady);
        oneDown.put("n20.lan", notServed("n20.lan", NOW.minus(PERIOD)));
        Map<String, ServedName> allJustChecked = new HashMap<>();
        NAMES.forEach(n -> allJustChecked.put(n, served(n, NOW.minus(PERIOD.dividedBy(3)))));
        Map<String, ServedName> groupOneChecked = new HashMap<>();
        NAMES.subList(0, 3).forEach(n -> groupOneChecked.put(n, served(n, NOW.minus(PERIOD))));
        return Stream.of(
                Arguments.of("nothing moved: nothing to check", List.of(), Map.of(), List.of()),
                Arguments.of("a group just moved: each of its names at once (the soak waits for them)",
                        NAMES.subList(0, 3), Map.of(), NAMES.subList(0, 3)),
                Arguments.of("steady state, 26 names: the 7 seen longest ago (four periods)", NAMES, steady,
                        NAMES.subList(0, 7)),
                Arguments.of("a name not served at its last check is asked every round, before the sweep", NAMES, oneDown,
                        List.of("n20.lan", "n1.lan", "n2.lan", "n3.lan", "n4.lan", "n5.lan", "n6.lan", "n7.lan")),
                Arguments.of("a busy round right after a full sweep: none due", NAMES, allJustChecked, List.of()),
                Arguments.of("a new group next to a checked one: the new names now, the checked ones when due",
                        NAMES.subList(0, 6), groupOneChecked, NAMES.subList(3, 6)),
                Arguments.of("four names or fewer: each every period", NAMES.subList(0, 3), groupOneChecked,
                        NAMES.subList(0, 3)),
                Arguments.of("four names checked a third of a period ago (a busy round): none", NAMES.subList(0, 4),
                        allJustChecked, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rounds")
    void namesCheckedThisRound(String title, List<String> moved, Map<String, ServedName> last, List<String> expected) {
        assertThat(ServedNamesPlanner.toCheck(moved, last, NOW, PERIOD)).containsExactlyElementsOf(expected);
    }

    @Test
    void twentySixNamesCostSevenRequestsAPeriodAndEachIsSeenAtLeastEveryFourPeriods() {
        Map<String, ServedName> last = new HashMap<>();
        NAMES.forEach(n -> last.put(n, served(n, NOW.minus(PERIOD.multipliedBy(4)))));
        Map<String, List<Instant>> seen = new HashMap<>();
        List<Integer> perRound = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            Instant now = NOW.plus(PERIOD.multipliedBy(round));
            List<String> due = ServedNamesPlanner.toCheck(NAMES, last, now, PERIOD);
            perRound.add(due.size());
            due.forEach(n -> {
                last.put(n, served(n, now));
                seen.computeIfAbsent(n, k -> new ArrayList<>()).add(now);
            });
        }
        assertThat(perRound).as("requests per round").allMatch(count -> count <= 7);
        System.out.println("ServedNamesPlannerTest: requests per period for 26 names, 40 periods: " + perRound);
        for (String name : NAMES) {
            List<Instant> times = seen.get(name);
            for (int i = 1; i < times.size(); i++) {
                assertThat(Duration.between(times.get(i - 1), times.get(i))).as(name)
                        .isLessThanOrEqualTo(PERIOD.multipliedBy(ServedNamesPlanner.PERIODS_PER_SWEEP));
            }
        }
    }

    @Test
    void roundsFasterThanThePeriodDoNotCheckMoreOften() {
        Map<String, ServedName> last = new HashMap<>(staggered());
        Duration busy = Duration.ofSeconds(5);
        int checked = 0;
        for (int round = 0; round < 3 * 12; round++) {
            Instant now = NOW.plus(busy.multipliedBy(round));
            List<String> due = ServedNamesPlanner.toCheck(NAMES, last, now, PERIOD);
            checked += due.size();
            due.forEach(n -> last.put(n, served(n, now)));
        }
        assertThat(checked).as("12 periods of rounds every 5 s: about a third of the names per period, not 7 a round")
                .isLessThanOrEqualTo(26 * 12 / 3 + 7);
    }

    @Test
    void latestKeepsTheLastCheckOfNamesNotCheckedNowAndDropsNamesNoLongerMoved() {
        Map<String, ServedName> last = Map.of("a.lan", served("a.lan", NOW.minus(PERIOD)), "gone.lan",
                served("gone.lan", NOW.minus(PERIOD)));
        List<ServedName> latest = ServedNamesPlanner.latest(List.of("a.lan", "b.lan", "c.lan"), last,
                List.of(notServed("b.lan", NOW)));
        assertThat(latest).extracting(ServedName::name).containsExactly("a.lan", "b.lan");
        assertThat(latest.get(1).served()).isFalse();
        assertThat(ServedNamesPlanner.notServed(latest)).containsExactly("b.lan");
    }

    static Stream<Arguments> certificates() {
        Instant in60Days = NOW.plus(Duration.ofDays(60));
        Instant in13Days = NOW.plus(Duration.ofDays(13));
        return Stream.of(
                Arguments.of("nothing moved", 0, List.of(), "Unknown", "NoNamesMoved", "no DNS name has been moved to the VIP"),
                Arguments.of("none checked yet", 3, List.of(), "Unknown", "NotSeen", "no name checked yet"),
                Arguments.of("none answered over TLS", 2, List.of(notServed("a.lan", NOW), notServed("b.lan", NOW)),
                        "Unknown", "NotSeen", "none of the 2 names checked answered over TLS"),
                Arguments.of("all valid: the soonest expiry", 2, List.of(certificate("a.lan", in60Days, null),
                        certificate("b.lan", in13Days.plus(Duration.ofDays(20)), null)), "True", "Valid",
                        "all 2 certificates seen are valid; soonest expiry 2027-01-08T02:00:00Z (b.lan, in 33 days)"),
                Arguments.of("one expires within 14 days", 2, List.of(certificate("a.lan", in60Days, null),
                        certificate("b.lan", in13Days, null)), "True", "ExpiringSoon",
                        "soonest expiry 2026-12-19T02:00:00Z (b.lan, in 13 days)"),
                Arguments.of("expired and wrong name", 3, List.of(certificate("a.lan", NOW.minusSeconds(60),
                        "expired 2026-12-06T01:59:00Z"), certificate("b.lan", in60Days,
                        "does not cover b.lan (it names TRAEFIK DEFAULT CERT)"), certificate("c.lan", in60Days, null)),
                        "False", "Invalid", "2 of 3 certificates would be refused by a client: a.lan: expired"
                                + " 2026-12-06T01:59:00Z; b.lan: does not cover b.lan (it names TRAEFIK DEFAULT CERT);"
                                + " soonest expiry 2026-12-06T01:59:00Z (a.lan, expired)"),
                Arguments.of("some names not seen yet", 5, List.of(certificate("a.lan", in60Days, null)), "True", "Valid",
                        "; 4 of 5 names not seen yet"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("certificates")
    void certificatesValid(String title, int moved, List<ServedName> latest, String status, String reason, String message) {
        Certificates certificates = ServedNamesPlanner.certificates(moved, latest, NOW);
        assertThat(certificates.status()).isEqualTo(status);
        assertThat(certificates.reason()).isEqualTo(reason);
        assertThat(certificates.message()).contains(message);
    }
}
