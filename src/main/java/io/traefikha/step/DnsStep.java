package io.traefikha.step;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DnsServerStatus;
import io.traefikha.api.v1alpha1.DnsStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.dns.DnsMigration;
import io.traefikha.dns.DnsPlan;
import io.traefikha.dns.DnsProvider;
import io.traefikha.dns.MigrationProgress;
import io.traefikha.dns.MigrationSpec;
import io.traefikha.dns.OwnershipRegistry;
import io.traefikha.dns.ProviderException;
import io.traefikha.domain.Cidr;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.Ipv6Cidr;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.Role;
import io.traefikha.step.ClusterConnections.DnsServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * DNS: names move to the VIP group by group while the pair is Ready and the moved names answer through the VIP
 * ({@link ServedNamesStep}'s evidence: a name that does not starts the soak again, with a DNSSoakReset Event), on the DNS server
 * of the spec and on each of its replicas. Every server gets the same migration with its own ownership registry (what a
 * record held before can differ between servers); writes to one server are serialised by the provider
 * ({@link io.traefikha.dns.ServerWriteLocks}). The migration is as far as its least advanced server.
 */
public final class DnsStep implements ReconcileStep {

    private static final Logger LOG = Logger.getLogger(DnsStep.class);

    private final EventRecorder events;
    private final ReconcileMetrics metrics;

    public DnsStep(EventRecorder events, ReconcileMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /** One server's round: its result, or why it could not be read. */
    private record ServerRound(String server, DnsMigration.Result result, String error) {
    }

    @Override
    public Next apply(Round round) {
        migrate(round, round.haReady(), round.clock().instant());
        return Next.CONTINUE;
    }

    /** @param haReady names move on only while the pair is Ready; otherwise the migration holds where it is */
    public void migrate(Round round, boolean haReady, Instant now) {
        TraefikHACluster resource = round.resource();
        TraefikHAClusterSpec spec = round.spec();
        StatusAggregator status = round.status();
        ClusterConnections connections = round.connections();
        String id = round.id();
        try {
            List<DnsServer> servers = servers(connections);
            if (servers.isEmpty()) {
                status.condition(ConditionTypes.DNS_READY, true, "NotManaged", "spec.dns.provider is None: no DNS record is managed");
                return;
            }
            String primary = Cidr.hostOf(spec.primary.address);
            MigrationProgress progress = MigrationProgress.fromStatus(status.previous().dns);
            List<ServerRound> rounds = new ArrayList<>();
            Map<DnsServer, OwnershipRegistry> readable = new LinkedHashMap<>();
            Set<String> discovered = new TreeSet<>();
            for (DnsServer server : servers) {
                try {
                    OwnershipRegistry registry = server.registry().load();
                    if (spec.dns.discover) {
                        discovered.addAll(server.provider().namesAnswering(primary, spec.dns.domain));
                        // what it moved earlier no longer points at the primary, and must not count as left the spec
                        discovered.addAll(registry.previousAnswers().keySet());
                    }
                    readable.put(server, registry);
                } catch (ProviderException | ExternalSystemException e) {
                    LOG.warnf("%s: DNS on %s: %s", id, server.provider().server(), e.getMessage());
                    rounds.add(new ServerRound(server.provider().server(), null, e.getMessage()));
                }
            }
            MigrationSpec migration = MigrationSpec.of(spec.dns, discovered, primary, Cidr.hostOf(spec.vip.address))
                    .withIpv6(spec.vip.ipv6Address().map(Cidr::hostOf).orElse(null), primaryIpv6(round));
            readable.forEach((server, registry) -> {
                String where = servers.size() > 1 ? " on " + server.provider().server() : "";
                try {
                    DnsMigration.Result result = new DnsMigration(server.provider(), server.registry()).reconcile(migration,
                            registry, progress, haReady, round.servedEvidence(), now, spec.dryRun);
                    rounds.add(new ServerRound(server.provider().server(), result, null));
                    result.notApplied().forEach(change -> round.planned("DNS: " + change.describe() + where));
                    result.applied().forEach(change -> {
                        events.normal(resource, "DNSChanged", change.describe() + where);
                        metrics.repair(resource, "DnsChange");
                    });
                } catch (ProviderException | ExternalSystemException e) {
                    LOG.warnf("%s: DNS%s: %s", id, where, e.getMessage());
                    rounds.add(new ServerRound(server.provider().server(), null, e.getMessage()));
                }
            });
            // in the servers' order, whichever pass a server failed in
            List<String> order = servers.stream().map(server -> server.provider().server()).toList();
            rounds.sort(Comparator.comparingInt(r -> order.indexOf(r.server())));
            report(resource, id, status, migration, progress, rounds);
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: DNS: %s", id, e.getMessage());
            status.condition(ConditionTypes.DNS_READY, false, "secret".equals(e.system()) ? "SecretProblem" : "Unreachable",
                    e.getMessage());
        }
    }

    /**
     * The primary's IPv6 addresses, spec.primary.address6 and the global ones its probe reports this round (a SLAAC
     * address among them), the IPv6 VIP aside: an AAAA answer there is the primary's, moved like its A answer.
     */
    private static List<String> primaryIpv6(Round round) {
        TraefikHAClusterSpec spec = round.spec();
        List<String> addresses = new ArrayList<>();
        if (spec.primary.address6 != null) {
            addresses.add(Cidr.hostOf(spec.primary.address6));
        }
        NodeObservation probe = round.probes() == null ? null : round.probes().get(Role.PRIMARY);
        if (probe != null && probe.reachable() && probe.ipv6Addresses() != null) {
            String vip6 = spec.vip.ipv6Address().flatMap(vip -> Ipv6Cidr.canonical(Cidr.hostOf(vip))).orElse(null);
            probe.ipv6Addresses().stream().filter(address -> !address.equals(vip6)).forEach(addresses::add);
        }
        return addresses;
    }

    /** DNS back to what each server's registry says was there before; true when done (or nothing to do). */
    public boolean rollback(TraefikHACluster resource, ClusterConnections connections) {
        try {
            List<DnsServer> servers = servers(connections);
            for (DnsServer server : servers) {
                String where = servers.size() > 1 ? " on " + server.provider().server() : "";
                DnsMigration.Result result = new DnsMigration(server.provider(), server.registry())
                        .rollback(server.registry().load(), Cidr.hostOf(resource.getSpec().vip.address), resource.getSpec().dryRun);
                result.applied().forEach(change -> events.normal(resource, "DNSRolledBack", change.describe() + where));
                if (result.failure() != null) {
                    events.warning(resource, "RollbackWaiting", "DNS rollback of " + result.failure().change().describe()
                            + where + " failed: " + result.failure().error().getMessage());
                    return false;
                }
            }
            return true;
        } catch (ExternalSystemException | ProviderException e) {
            events.warning(resource, "RollbackWaiting", "cannot roll DNS back yet: " + e.getMessage());
            return false;
        }
    }

    private static List<DnsServer> servers(ClusterConnections connections) {
        Optional<DnsProvider> provider = connections.dns();
        if (provider.isEmpty()) {
            return List.of();
        }
        List<DnsServer> servers = new ArrayList<>();
        servers.add(new DnsServer(provider.get(), connections.dnsRegistry()));
        servers.addAll(connections.dnsReplicas());
        return servers;
    }

    private void report(TraefikHACluster resource, String id, StatusAggregator status, MigrationSpec migration,
            MigrationProgress before, List<ServerRound> rounds) {
        List<DnsPlan> plans = rounds.stream().filter(r -> r.result() != null).map(r -> r.result().plan()).toList();
        if (!plans.isEmpty()) {
            DnsStatus dns = combinedStatus(migration, before, rounds, plans);
            dns.discovered = migration.discovered().isEmpty() ? null : migration.discovered();
            status.dns(dns);
            reportSoakReset(resource, status.previous().dns, dns);
            reportConflicts(resource, status, plans);
        }
        List<String> failures = new ArrayList<>();
        for (ServerRound round : rounds) {
            String where = rounds.size() > 1 ? " on " + round.server() : "";
            if (round.error() != null) {
                failures.add(round.error());
            } else if (round.result().failure() != null) {
                DnsMigration.Failure failure = round.result().failure();
                String message = "DNS change " + failure.change().describe() + where + " failed: " + failure.error().getMessage();
                LOG.warnf("%s: %s", id, message);
                events.warning(resource, "DNSUpdateFailed", message);
                failures.add(message);
            }
        }
        if (!failures.isEmpty()) {
            boolean written = rounds.stream().anyMatch(r -> r.result() != null && r.result().failure() != null);
            status.condition(ConditionTypes.DNS_READY, false, written ? "UpdateFailed" : "Unreachable",
                    String.join("; ", failures));
            return;
        }
        int wanted = plans.get(0).wanted();
        int inPlace = plans.stream().mapToInt(DnsPlan::inPlace).min().orElse(0);
        String aaaa = aaaaSummary(plans);
        if (plans.stream().allMatch(DnsPlan::settled)) {
            status.condition(ConditionTypes.DNS_READY, true, "InPlace", "all " + wanted + " names resolve to the VIP"
                    + (aaaa == null ? "" : ", and in AAAA to " + aaaa)
                    + (rounds.size() > 1 ? " on all " + rounds.size() + " servers" : ""));
        } else {
            String waitingFor = leastAdvanced(migration, plans).waitingFor();
            status.condition(ConditionTypes.DNS_READY, false, "Migrating", inPlace + " of " + wanted
                    + " names resolve to the VIP" + (aaaa == null ? "" : "; in AAAA " + aaaaCount(plans) + " to " + aaaa)
                    + (rounds.size() > 1 ? " on every server" : "") + (waitingFor == null ? "" : "; " + waitingFor));
        }
    }

    /** The IPv6 VIP the AAAA answers move to; null without one. */
    private static String aaaaSummary(List<DnsPlan> plans) {
        return plans.get(0).aaaa() == null ? null : plans.get(0).aaaa().vip();
    }

    /** e.g. "3 of 5": names answering the IPv6 VIP in AAAA (on every server) of those whose A answer is at the VIP. */
    private static String aaaaCount(List<DnsPlan> plans) {
        return plans.stream().mapToInt(p -> p.aaaa().inPlace()).min().orElse(0) + " of "
                + plans.stream().mapToInt(p -> p.aaaa().wanted()).max().orElse(0);
    }

    /**
     * With one server its plan's status; with several the least advanced one's, and each server's own. While a server
     * cannot be read the migration does not advance: the live group stays as it was, so the next one waits for it.
     */
    private static DnsStatus combinedStatus(MigrationSpec migration, MigrationProgress before, List<ServerRound> rounds,
            List<DnsPlan> plans) {
        DnsStatus combined = leastAdvanced(migration, plans).toStatus();
        if (rounds.size() == 1) {
            return combined;
        }
        if (rounds.stream().anyMatch(r -> r.error() != null)) {
            combined.livePhase = before.liveGroup();
            combined.livePhaseSince = before.liveSince() == null ? null : before.liveSince().toString();
        }
        combined.inPlace = plans.stream().mapToInt(DnsPlan::inPlace).min().orElse(0);
        combined.conflicting = plans.stream().flatMap(p -> p.conflicts().stream()).map(DnsPlan.DnsConflict::name)
                .distinct().sorted().toList();
        if (combined.aaaa != null) {
            combined.aaaa.wanted = plans.stream().mapToInt(p -> p.aaaa().wanted()).max().orElse(0);
            combined.aaaa.inPlace = plans.stream().mapToInt(p -> p.aaaa().inPlace()).min().orElse(0);
            combined.aaaa.conflicting = plans.stream().flatMap(p -> p.aaaa().conflicts().stream())
                    .map(DnsPlan.DnsConflict::name).distinct().sorted().toList();
        }
        combined.servers = rounds.stream().map(round -> {
            DnsServerStatus server = new DnsServerStatus();
            server.server = round.server();
            server.error = round.error() != null ? round.error()
                    : round.result().failure() != null ? round.result().failure().error().getMessage() : null;
            if (round.result() != null) {
                server.inPlace = round.result().plan().inPlace();
                server.conflicting = round.result().plan().conflicts().stream().map(DnsPlan.DnsConflict::name).toList();
                server.aaaaInPlace = round.result().plan().aaaa() == null ? null : round.result().plan().aaaa().inPlace();
            }
            return server;
        }).toList();
        return combined;
    }

    private static DnsPlan leastAdvanced(MigrationSpec migration, List<DnsPlan> plans) {
        List<String> order = migration.groups().stream().map(MigrationSpec.Group::name).toList();
        MigrationProgress least = MigrationProgress.leastAdvanced(order, plans.stream().map(DnsPlan::progress).toList());
        return plans.stream().filter(p -> p.progress().equals(least)).findFirst().orElse(plans.get(0));
    }

    /** An Event when names start holding the soak (or others do), and when the soak counts again. */
    private void reportSoakReset(TraefikHACluster resource, DnsStatus before, DnsStatus now) {
        List<String> held = now.soakHeldBy == null ? List.of() : now.soakHeldBy;
        List<String> heldBefore = before == null || before.soakHeldBy == null ? List.of() : before.soakHeldBy;
        if (!held.isEmpty() && !held.equals(heldBefore)) {
            events.warning(resource, "DNSSoakReset", "the soak of group " + now.livePhase + " starts again and "
                    + (now.nextPhase == null ? "no further group waits" : "group " + now.nextPhase + " waits")
                    + ": not answering through the VIP: " + String.join(", ", held));
        } else if (held.isEmpty() && !heldBefore.isEmpty()) {
            events.normal(resource, "DNSSoakCounting", "every moved name answers through the VIP again; the soak of group "
                    + now.livePhase + " counts from " + now.livePhaseSince);
        }
    }

    private void reportConflicts(TraefikHACluster resource, StatusAggregator status, List<DnsPlan> plans) {
        Set<String> conflicts = new LinkedHashSet<>();
        plans.forEach(plan -> plan.conflicts().forEach(c -> conflicts.add(c.name() + " -> " + String.join(",", c.answers()))));
        plans.stream().filter(plan -> plan.aaaa() != null).forEach(plan -> plan.aaaa().conflicts()
                .forEach(c -> conflicts.add(c.name() + " AAAA -> " + String.join(",", c.answers()))));
        if (conflicts.isEmpty()) {
            status.condition(ConditionTypes.DNS_CONFLICT, false, "None", "no wanted name points somewhere else");
            return;
        }
        String message = "left alone, they point neither at the primary nor at the VIP (set spec.dns.takeOverConflicts"
                + " to move them anyway): " + conflicts.stream().collect(Collectors.joining("; "));
        Condition before = status.previous().condition(ConditionTypes.DNS_CONFLICT);
        if (!status.previous().isTrue(ConditionTypes.DNS_CONFLICT) || !message.equals(before.message)) {
            events.warning(resource, "DNSConflict", message);
        }
        status.condition(ConditionTypes.DNS_CONFLICT, true, "PointsElsewhere", message);
    }

}
