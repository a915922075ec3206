package io.traefikha.dns;

import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the DNS migration must achieve: fully qualified names in ordered groups, moved from the primary's address to
 * the VIP, one group per soak time.
 *
 * @param groups ordered, disjoint, each with at least one name
 * @param vip6Address the IPv6 VIP (canonical, without prefix length) every moved name also answers in AAAA; null without one
 * @param primaryAddresses6 the primary's IPv6 addresses (canonical): an AAAA answer among them is moved like an A answer
 *        of the primary
 */
public record MigrationSpec(List<Group> groups, Duration soakTime, boolean takeOverConflicts, String primaryAddress,
        String vipAddress, String vip6Address, List<String> primaryAddresses6) {

    /** Group of the records no phase names, when phases exist: they move last. */
    public static final String UNPHASED_GROUP = "unphased";
    /** Group of the names spec.dns.discover found that records does not list: they move after every other. */
    public static final String DISCOVERED_GROUP = "discovered";
    /** The only group when the spec has no phases. */
    public static final String SINGLE_GROUP = "all";

    /** One migration group: its name (shown in status) and its fully qualified names. */
    public record Group(String name, List<String> names) {
        public Group {
            names = List.copyOf(names);
        }
    }

    public MigrationSpec {
        groups = List.copyOf(groups);
        vip6Address = vip6Address == null ? null : RecordType.normalize(vip6Address);
        primaryAddresses6 = primaryAddresses6.stream().map(RecordType::normalize).distinct().toList();
    }

    /** An IPv4-only migration: A records only. */
    public MigrationSpec(List<Group> groups, Duration soakTime, boolean takeOverConflicts, String primaryAddress,
            String vipAddress) {
        this(groups, soakTime, takeOverConflicts, primaryAddress, vipAddress, null, List.of());
    }

    /**
     * The same migration with an IPv6 VIP: each name whose A answer is at the VIP also answers {@code vip6} in AAAA.
     *
     * @param vip6 without prefix length; null for none
     * @param primary6 the primary's IPv6 addresses without prefix length
     */
    public MigrationSpec withIpv6(String vip6, List<String> primary6) {
        return new MigrationSpec(groups, soakTime, takeOverConflicts, primaryAddress, vipAddress, vip6, primary6);
    }

    /** The group a name belongs to; null when none. */
    public String groupOf(String name) {
        return groups.stream().filter(g -> g.names().contains(name)).map(Group::name).findFirst().orElse(null);
    }

    /**
     * The migration a resource's {@code spec.dns} asks for. Names without a dot get the domain appended; a name listed
     * in several phases belongs to the first; phase entries not in {@code records} are ignored (the validator reports them).
     *
     * @param primaryAddress the primary's IPv4 address without prefix length
     * @param vipAddress the VIP without prefix length
     */
    public static MigrationSpec of(DnsSpec dns, String primaryAddress, String vipAddress) {
        return of(dns, List.of(), primaryAddress, vipAddress);
    }

    /**
     * The same with the names spec.dns.discover found (fully qualified): those records does not list form the last
     * group, {@link #DISCOVERED_GROUP}.
     */
    public static MigrationSpec of(DnsSpec dns, Collection<String> discovered, String primaryAddress, String vipAddress) {
        Set<String> remaining = new LinkedHashSet<>();
        dns.records.forEach(r -> remaining.add(qualify(r, dns.domain)));
        List<Group> groups = new ArrayList<>();
        for (DnsSpec.DnsPhaseSpec phase : dns.phases) {
            List<String> names = phase.records.stream().map(r -> qualify(r, dns.domain)).filter(remaining::remove).toList();
            if (!names.isEmpty()) {
                groups.add(new Group(phase.name, names));
            }
        }
        if (!remaining.isEmpty()) {
            groups.add(new Group(dns.phases.isEmpty() ? SINGLE_GROUP : UNPHASED_GROUP, List.copyOf(remaining)));
        }
        Set<String> listed = new LinkedHashSet<>();
        dns.records.forEach(r -> listed.add(qualify(r, dns.domain)));
        List<String> found = discovered.stream().filter(name -> !listed.contains(name)).distinct().sorted().toList();
        if (!found.isEmpty()) {
            groups.add(new Group(DISCOVERED_GROUP, found));
        }
        return new MigrationSpec(groups, Durations.parse(dns.soakTime), dns.takeOverConflicts, primaryAddress, vipAddress);
    }

    /** grafana + example.org -> grafana.example.org; names with a dot are already qualified ({@link DnsSpec#qualify}). */
    public static String qualify(String record, String domain) {
        return DnsSpec.qualify(record, domain);
    }

    /** The names of the {@link #DISCOVERED_GROUP}, sorted; empty without one. */
    public List<String> discovered() {
        return groups.stream().filter(g -> g.name().equals(DISCOVERED_GROUP)).flatMap(g -> g.names().stream()).toList();
    }

    /** The names of the groups up to and including {@code group}, in order; none when no group has that name. */
    public List<String> namesThrough(String group) {
        List<String> names = new ArrayList<>();
        for (Group g : groups) {
            names.addAll(g.names());
            if (g.name().equals(group)) {
                return names;
            }
        }
        return List.of();
    }

    /** Every wanted name, in group order. */
    public List<String> names() {
        return groups.stream().flatMap(g -> g.names().stream()).toList();
    }
}
