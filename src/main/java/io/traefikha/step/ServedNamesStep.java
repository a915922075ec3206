package io.traefikha.step;

import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.DnsStatus;
import io.traefikha.api.v1alpha1.ServedNameStatus;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.dns.MigrationSpec;
import io.traefikha.dns.ServedEvidence;
import io.traefikha.domain.Cidr;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ServedName;
import io.traefikha.gateway.NameChecker;
import io.traefikha.planner.ServedNamesPlanner;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every DNS name the migration moved to the VIP, requested through the VIP as its clients do (HTTPS with its SNI and
 * Host header), a few per round ({@link ServedNamesPlanner}): status.served, CertificatesValid, the per-name gauges,
 * a Warning Event when a name stops answering, and the evidence the DNS step's soak waits for. Runs before the DNS
 * step; names moved in this round are checked in the next.
 */
public final class ServedNamesStep implements ReconcileStep {

    private final EventRecorder events;
    private final ReconcileMetrics metrics;

    public ServedNamesStep(EventRecorder events, ReconcileMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public Next apply(Round round) {
        StatusAggregator status = round.status();
        List<String> moved = moved(round.spec(), status.previous().dns);
        Map<String, ServedName> last = last(status.previous().served, moved);
        Instant now = round.clock().instant();
        List<String> due = ServedNamesPlanner.toCheck(moved, last, now, round.period());
        List<ServedName> checked = due.isEmpty() ? List.of() : check(round.connections().nameChecker(), due, round);
        List<ServedName> latest = ServedNamesPlanner.latest(moved, last, checked);

        Set<String> seen = latest.stream().map(ServedName::name).collect(Collectors.toSet());
        round.servedEvidence(new ServedEvidence(ServedNamesPlanner.notServed(latest),
                moved.stream().filter(name -> !seen.contains(name)).toList()));
        status.served(moved.isEmpty() ? null : latest.stream().map(ServedNamesStep::toStatus).toList());
        ServedNamesPlanner.Certificates certificates = ServedNamesPlanner.certificates(moved.size(), latest, now);
        status.condition(ConditionTypes.CERTIFICATES_VALID, certificates.status(), certificates.reason(),
                certificates.message());
        metrics.servedNames(round.resource(), latest);
        List<String> stopped = checked.stream().filter(c -> !c.served())
                .filter(c -> !last.containsKey(c.name()) || last.get(c.name()).served())
                .map(c -> c.name() + " (" + c.error() + ")").toList();
        if (!stopped.isEmpty()) {
            events.warning(round.resource(), "NameNotServed", "no answer through the VIP for " + String.join(", ", stopped));
        }
        return Next.CONTINUE;
    }

    /** One after the other, within the round's budget; what does not fit waits for the next round (it is first then). */
    private static List<ServedName> check(NameChecker checker, List<String> due, Round round) {
        long deadline = System.nanoTime() + ServedNamesPlanner.BUDGET.toNanos();
        List<ServedName> checked = new ArrayList<>();
        for (String name : due) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.compareTo(Duration.ofMillis(100)) < 0) {
                break;
            }
            NameChecker.Answer answer = checker.check(name,
                    left.compareTo(ServedNamesPlanner.TIMEOUT) < 0 ? left : ServedNamesPlanner.TIMEOUT);
            checked.add(new ServedName(name, answer.served(), answer.error(), answer.issuer(), answer.notAfter(),
                    answer.certificateProblem(), round.clock().instant()));
        }
        return checked;
    }

    /**
     * The names the migration has moved: its groups up to the live one, without those left alone as conflicts. None
     * with vip.httpsPort 0: the VIP has no HTTPS entry point to ask them on, so the soak does not wait for them.
     */
    static List<String> moved(TraefikHAClusterSpec spec, DnsStatus dns) {
        if (spec.dns == null || spec.dns.provider == DnsSpec.DnsProvider.None || dns == null || dns.livePhase == null
                || spec.vip.httpsPort == 0) {
            return List.of();
        }
        MigrationSpec migration = MigrationSpec.of(spec.dns, dns.discovered == null ? List.of() : dns.discovered,
                Cidr.hostOf(spec.primary.address), Cidr.hostOf(spec.vip.address));
        List<String> conflicting = dns.conflicting == null ? List.of() : dns.conflicting;
        return migration.namesThrough(dns.livePhase).stream().filter(name -> !conflicting.contains(name)).toList();
    }

    /** The last checks status.served kept, of the names still moved (typed status: the memory between rounds). */
    private static Map<String, ServedName> last(List<ServedNameStatus> served, List<String> moved) {
        Map<String, ServedName> last = new LinkedHashMap<>();
        for (ServedNameStatus entry : served == null ? List.<ServedNameStatus>of() : served) {
            if (moved.contains(entry.name) && entry.checkedAt != null) {
                last.put(entry.name, new ServedName(entry.name, Boolean.TRUE.equals(entry.served), entry.error, entry.issuer,
                        entry.notAfter == null ? null : Instant.parse(entry.notAfter), entry.certificateProblem,
                        Instant.parse(entry.checkedAt)));
            }
        }
        return last;
    }

    private static ServedNameStatus toStatus(ServedName name) {
        ServedNameStatus entry = new ServedNameStatus();
        entry.name = name.name();
        entry.served = name.served();
        entry.error = name.error();
        entry.issuer = name.issuer();
        entry.notAfter = name.notAfter() == null ? null : name.notAfter().toString();
        entry.certificateProblem = name.certificateProblem();
        entry.checkedAt = name.checkedAt().truncatedTo(ChronoUnit.SECONDS).toString();
        return entry;
    }
}
