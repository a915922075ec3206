package io.traefikha.dns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The DNS half of a reconcile against one DNS server: observe, plan with {@link DnsPlanner}, and (unless dry-run) write
 * the plan's changes, keeping the ownership registry ahead of every write.
 */
public final class DnsMigration {

    private static final Logger LOG = Logger.getLogger(DnsMigration.class);

    /** Where the caller keeps the registry (a ConfigMap or the status); saved before any write that needs it. */
    @FunctionalInterface
    public interface RegistryStore {
        void save(OwnershipRegistry registry);
    }

    /**
     * What happened.
     *
     * @param applied changes written, in order (none in dry-run)
     * @param notApplied changes not written: all of them in dry-run, else those after a failure
     * @param failure the change that failed and why; null if none
     * @param registry the registry as saved last
     */
    public record Result(DnsPlan plan, List<DnsChange> applied, List<DnsChange> notApplied, Failure failure,
            OwnershipRegistry registry, boolean dryRun) {
    }

    /** A change the server did not take. */
    public record Failure(DnsChange change, ProviderException error) {
    }

    private final DnsProvider provider;
    private final RegistryStore store;

    public DnsMigration(DnsProvider provider, RegistryStore store) {
        this.provider = provider;
        this.store = store;
    }

    /**
     * One forward step: moves what may move now, reverts names that left the spec.
     *
     * @throws ProviderException when the server cannot be read (then nothing was written)
     */
    public Result reconcile(MigrationSpec spec, OwnershipRegistry registry, MigrationProgress progress, boolean ready,
            ServedEvidence evidence, Instant now, boolean dryRun) {
        Set<String> names = new LinkedHashSet<>(spec.names());
        names.addAll(registry.previousAnswers().keySet());
        Map<String, List<String>> aaaa = Map.of();
        if (spec.vip6Address() != null || !registry.previousAaaaAnswers().isEmpty()) {
            Set<String> aaaaNames = new LinkedHashSet<>(spec.names());
            aaaaNames.addAll(registry.previousAaaaAnswers().keySet());
            aaaa = provider.lookup(aaaaNames, RecordType.AAAA);
        }
        DnsPlan plan = DnsPlanner.plan(spec, provider.lookup(names, RecordType.A), aaaa, registry, progress, ready, evidence,
                now);
        return apply(plan, registry, dryRun);
    }

    /**
     * Gives back every owned name (deletionPolicy Rollback/Delete).
     *
     * @throws ProviderException when the server cannot be read (then nothing was written)
     */
    public Result rollback(OwnershipRegistry registry, String vipAddress, boolean dryRun) {
        Map<String, List<String>> aaaa = registry.previousAaaaAnswers().isEmpty() ? Map.of()
                : provider.lookup(registry.previousAaaaAnswers().keySet(), RecordType.AAAA);
        DnsPlan plan = DnsPlanner.rollback(registry, provider.lookup(registry.previousAnswers().keySet(), RecordType.A), aaaa,
                vipAddress);
        return apply(plan, registry, dryRun);
    }

    private Result apply(DnsPlan plan, OwnershipRegistry stored, boolean dryRun) {
        if (dryRun) {
            plan.changes().forEach(c -> LOG.infof("dry-run, not changing %s on %s", c.describe(), provider.server()));
            return new Result(plan, List.of(), plan.changes(), null, stored, true);
        }
        OwnershipRegistry registry = plan.registry();
        if (!registry.equals(stored)) {
            store.save(registry); // write-ahead: the previous answers are safe before the record changes
        }
        List<DnsChange> applied = new ArrayList<>();
        Failure failure = null;
        for (DnsChange change : plan.changes()) {
            try {
                provider.replace(change.name(), change.type(), change.from(), change.to());
            } catch (ProviderException e) {
                // Stop at the first failure: after a refused password AdGuard Home blocks us after a few more tries.
                failure = new Failure(change, e);
                LOG.warnf("DNS change %s on %s failed: %s", change.describe(), provider.server(), e.getMessage());
                break;
            }
            applied.add(change);
            LOG.infof("DNS %s on %s", change.describe(), provider.server());
            if (change.reason() == DnsChange.Reason.REVERT || change.reason() == DnsChange.Reason.ROLLBACK) {
                registry = change.type() == RecordType.AAAA ? registry.withoutAaaa(change.name())
                        : registry.without(change.name());
            }
        }
        if (!registry.equals(plan.registry())) {
            store.save(registry);
        }
        List<DnsChange> notApplied = plan.changes().subList(applied.size(), plan.changes().size());
        return new Result(plan, applied, notApplied, failure, registry, false);
    }
}
