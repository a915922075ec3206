package io.traefikha.simulator.proxmox;

import io.traefikha.domain.FirewallAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's firewall file (/etc/pve/firewall/&lt;vmid&gt;.fw) as pve-firewall's API presents it: [OPTIONS] holding
 * only what was set (no defaults filled in), [RULES] in order (the API's {@code pos} is the index, new rules go to the
 * top), and [IPSET name] sections. Each list carries its own SHA-1 digest, checked when a request passes one.
 * Guarded by the cluster lock.
 */
final class SimFirewall {

    /** Rule keys in the order the API reports them; {@code enable} is always present (0 for a rule written "|IN"). */
    static final List<String> RULE_KEYS = List.of("type", "action", "macro", "iface", "source", "dest", "proto", "dport",
            "sport", "icmp-type", "log", "comment");

    record IpSetEntry(String cidr, String comment, boolean nomatch) {
    }

    static final class IpSet {
        final String comment;
        final List<IpSetEntry> entries = new ArrayList<>();

        IpSet(String comment) {
            this.comment = comment;
        }
    }

    final Map<String, String> options = new TreeMap<>();
    final List<Map<String, String>> rules = new ArrayList<>();
    final Map<String, IpSet> ipsets = new TreeMap<>();

    /** What a clone gets: pve-container copies the source's firewall file to the new CT. */
    SimFirewall copy() {
        SimFirewall copy = new SimFirewall();
        copy.options.putAll(options);
        rules.forEach(rule -> copy.rules.add(new LinkedHashMap<>(rule)));
        ipsets.forEach((name, set) -> {
            IpSet copied = new IpSet(set.comment);
            copied.entries.addAll(set.entries);
            copy.ipsets.put(name, copied);
        });
        return copy;
    }

    // ---- what the compiled ruleset would do (for tests observing the effect of a change) ----

    /**
     * Whether an inbound packet passes: with the firewall off everything does; otherwise the first enabled "in"
     * rule that matches decides, else policy_in, which is DROP when not set. Sources may be addresses, CIDRs,
     * ranges or +ipset of this container; macro and security group rules are not modelled and never match.
     */
    boolean acceptsInbound(int protocol, String protocolName, String source, String destination) {
        if (!"1".equals(options.get("enable"))) {
            return true;
        }
        for (Map<String, String> rule : rules) {
            if (!"1".equals(rule.get("enable")) || !"in".equals(rule.get("type")) || rule.containsKey("macro")
                    || (rule.containsKey("iface") && !"net0".equals(rule.get("iface")))) {
                continue;
            }
            String proto = rule.get("proto");
            boolean protoMatches = proto == null || proto.equals(Integer.toString(protocol)) || proto.equalsIgnoreCase(protocolName);
            if (protoMatches && addressMatches(rule.get("source"), source) && addressMatches(rule.get("dest"), destination)) {
                switch (rule.get("action")) {
                    case "ACCEPT":
                        return true;
                    case "DROP":
                    case "REJECT":
                        return false;
                    default:
                        break;
                }
            }
        }
        return "ACCEPT".equals(options.getOrDefault("policy_in", "DROP"));
    }

    /**
     * Whether a packet the container sends from {@code address} on net0 passes ipfilter: Proxmox lets through the
     * addresses configured on net0 and whatever the ipfilter-net0 set holds, nothing else.
     */
    boolean passesIpFilter(String configuredAddress, String address) {
        if (!"1".equals(options.get("enable")) || !"1".equals(options.get("ipfilter")) || address.equals(configuredAddress)) {
            return true;
        }
        IpSet set = ipsets.get("ipfilter-net0");
        return set != null && inSet(set, address);
    }

    private boolean addressMatches(String spec, String address) {
        if (spec != null && spec.startsWith("+")) {
            IpSet set = ipsets.get(spec.substring(1));
            return set != null && inSet(set, address);
        }
        return FirewallAddress.contains(spec, address) == FirewallAddress.Match.YES;
    }

    private static boolean inSet(IpSet set, String address) {
        boolean excluded = set.entries.stream().anyMatch(e -> e.nomatch() && FirewallAddress.contains(e.cidr(), address) == FirewallAddress.Match.YES);
        return !excluded && set.entries.stream().anyMatch(e -> !e.nomatch() && FirewallAddress.contains(e.cidr(), address) == FirewallAddress.Match.YES);
    }

    // ---- options ----

    Map<String, Object> getOptions() {
        Map<String, Object> result = new LinkedHashMap<>();
        options.forEach((key, value) -> result.put(key, value.matches("[01]") ? Integer.parseInt(value) : value));
        result.put("digest", optionsDigest());
        return result;
    }

    void setOptions(Map<String, String> params) {
        checkDigest(params.get("digest"), optionsDigest());
        List<String> delete = params.containsKey("delete")
                ? Arrays.stream(params.get("delete").split("[,;\\s]+")).filter(s -> !s.isEmpty()).toList() : List.of();
        params.forEach((key, value) -> {
            if (!List.of("node", "vmid", "digest", "delete").contains(key)) {
                options.put(key, value);
            }
        });
        delete.forEach(options::remove);
    }

    private String optionsDigest() {
        return sha1(options.toString());
    }

    // ---- rules ----

    List<Map<String, Object>> listRules() {
        String digest = rulesDigest();
        List<Map<String, Object>> list = new ArrayList<>();
        for (int pos = 0; pos < rules.size(); pos++) {
            Map<String, String> rule = rules.get(pos);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("pos", pos);
            RULE_KEYS.forEach(key -> {
                if (rule.containsKey(key)) {
                    entry.put(key, rule.get(key));
                }
            });
            entry.put("enable", Integer.parseInt(rule.getOrDefault("enable", "0")));
            if (rule.containsKey("source") || rule.containsKey("dest")) {
                // pve-firewall reports the family its addresses are in
                entry.put("ipversion", (rule.getOrDefault("source", "") + rule.getOrDefault("dest", "")).contains(":") ? 6 : 4);
            }
            entry.put("digest", digest);
            list.add(entry);
        }
        return list;
    }

    /**
     * POST rules: the new rule is put at the top (pos 0) whatever {@code pos} says, and a rule created without
     * {@code enable} is stored disabled, as pve-firewall's create_rule does.
     */
    void createRule(Map<String, String> params) {
        checkDigest(params.get("digest"), rulesDigest());
        Map<String, String> rule = new LinkedHashMap<>();
        RULE_KEYS.forEach(key -> {
            if (params.containsKey(key)) {
                rule.put(key, params.get(key));
            }
        });
        rule.put("enable", params.getOrDefault("enable", "0"));
        rules.add(0, rule);
    }

    void deleteRule(Map<String, String> params) {
        checkDigest(params.get("digest"), rulesDigest());
        int pos = Integer.parseInt(params.get("pos"));
        if (pos >= rules.size()) {
            throw PveError.fail("no rule at position " + pos);
        }
        rules.remove(pos);
    }

    private String rulesDigest() {
        return sha1(rules.toString());
    }

    // ---- IP sets ----

    List<Map<String, Object>> listIpSets() {
        List<Map<String, Object>> list = new ArrayList<>();
        ipsets.forEach((name, set) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", name);
            if (set.comment != null) {
                entry.put("comment", set.comment);
            }
            entry.put("digest", ipsetsDigest());
            list.add(entry);
        });
        return list;
    }

    void createIpSet(Map<String, String> params) {
        checkDigest(params.get("digest"), ipsetsDigest());
        if (params.containsKey("rename")) {
            throw PveError.status(501, "renaming an IPSet is not simulated");
        }
        String name = params.get("name");
        if (ipsets.containsKey(name)) {
            throw PveError.fail("IPSet '" + name + "' already exists");
        }
        ipsets.put(name, new IpSet(params.get("comment")));
    }

    void deleteIpSet(String name, boolean force) {
        IpSet set = ipset(name);
        if (!set.entries.isEmpty() && !force) {
            throw PveError.fail("IPSet '" + name + "' is not empty");
        }
        ipsets.remove(name);
    }

    List<Map<String, Object>> listEntries(String name) {
        IpSet set = ipset(name);
        String digest = entriesDigest(set);
        List<Map<String, Object>> list = new ArrayList<>();
        for (IpSetEntry e : set.entries) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("cidr", e.cidr());
            if (e.comment() != null) {
                entry.put("comment", e.comment());
            }
            if (e.nomatch()) {
                entry.put("nomatch", 1);
            }
            entry.put("digest", digest);
            list.add(entry);
        }
        return list;
    }

    void addEntry(String name, Map<String, String> params) {
        IpSet set = ipset(name);
        String cidr = params.get("cidr");
        if (set.entries.stream().anyMatch(e -> e.cidr().equals(cidr))) {
            throw PveError.parameter("cidr", "address '" + cidr + "' already exists");
        }
        set.entries.add(new IpSetEntry(cidr, params.get("comment"), "1".equals(params.get("nomatch"))));
    }

    /** Removing an address that is not in the set changes nothing and is no error, as in pve-firewall. */
    void removeEntry(String name, String cidr, String digest) {
        IpSet set = ipset(name);
        checkDigest(digest, entriesDigest(set));
        set.entries.removeIf(e -> e.cidr().equals(cidr));
    }

    private IpSet ipset(String name) {
        IpSet set = ipsets.get(name);
        if (set == null) {
            throw PveError.fail("no such IPSet '" + name + "'");
        }
        return set;
    }

    private String ipsetsDigest() {
        StringBuilder text = new StringBuilder();
        ipsets.forEach((name, set) -> text.append(name).append('#').append(set.comment).append('\n'));
        return sha1(text.toString());
    }

    private static String entriesDigest(IpSet set) {
        return sha1(set.entries.toString());
    }

    private static void checkDigest(String given, String current) {
        if (given != null && !given.isEmpty() && !given.equals(current)) {
            throw PveError.fail("detected modified configuration - file changed by other user? Try again.");
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
