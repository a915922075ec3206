package io.traefikha.simulator.proxmox;

import io.traefikha.domain.Ipv6Cidr;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The named string formats of the schema that matter for the LXC endpoints, with pve-common's texts. Formats not
 * listed here (timezones, startup order, storage maps...) are accepted as they are.
 */
final class Formats {

    private static final Pattern NODE = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?");
    private static final Pattern VMID = Pattern.compile("[1-9][0-9]{2,8}");
    private static final Pattern CONFIG_ID = Pattern.compile("[a-z][a-z0-9_]{1,40}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?");
    private static final Pattern STORAGE_ID = Pattern.compile("[a-z][a-z0-9\\-_.]*[a-z0-9]");
    private static final Pattern POOL_ID = Pattern.compile("[A-Za-z0-9.\\-_]+");
    private static final Pattern TAG = Pattern.compile("[a-z0-9_][a-z0-9_\\-+.]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern MAC = Pattern.compile("[a-fA-F0-9]{2}(:[a-fA-F0-9]{2}){5}");
    private static final Pattern VOLUME_ID = Pattern.compile("[a-z][a-z0-9\\-_.]*[a-z0-9]:.+");
    /** /etc/protocols as far as firewall rules use it; a rule may name a protocol or give its number. */
    private static final Map<String, Integer> PROTOCOLS = Map.of("icmp", 1, "igmp", 2, "tcp", 6, "udp", 17, "gre", 47,
            "esp", 50, "ah", 51, "ipv6-icmp", 58, "vrrp", 112, "sctp", 132);
    /** pve-firewall's alias and IP set names, optionally scoped (dc/ or guest/). */
    private static final Pattern ALIAS = Pattern.compile("((dc|guest)/)?[A-Za-z][A-Za-z0-9\\-_]+");
    private static final Pattern IPSET_REF = Pattern.compile("\\+((dc|guest)/)?[A-Za-z][A-Za-z0-9\\-_]+");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[,;\\s]+");

    private Formats() {
    }

    /** Empty when {@code value} fits {@code format}, else the reason after "invalid format - ". */
    static Optional<String> check(String format, String value) {
        return switch (format) {
            case "pve-node" -> require(NODE.matcher(value).matches(), "value does not look like a valid node name");
            case "pve-vmid" -> require(VMID.matcher(value).matches(), "value does not look like a valid VM ID");
            case "pve-configid" -> require(CONFIG_ID.matcher(value).matches(), "invalid configuration ID '" + value + "'");
            case "pve-configid-list" -> eachOf(value, "pve-configid");
            case "dns-name" -> require(isDnsName(value), "value does not look like a valid DNS name");
            case "dns-name-list" -> eachOf(value, "dns-name");
            case "pve-storage-id" -> require(STORAGE_ID.matcher(value).matches(), "storage ID '" + value + "' contains illegal characters");
            case "pve-poolid" -> require(POOL_ID.matcher(value).matches(), "pool name '" + value + "' contains illegal characters");
            case "pve-tag-list" -> require(LIST_SEPARATOR.splitAsStream(value.trim()).allMatch(t -> TAG.matcher(t).matches()),
                    "invalid tag");
            case "pve-volume-id" -> require(VOLUME_ID.matcher(value).matches(), "unable to parse volume ID '" + value + "'");
            case "ipv4" -> require(isIpv4(value), "value does not look like a valid IPv4 address");
            case "ipv6" -> require(isIpv6(value), "value does not look like a valid IPv6 address");
            case "mac-addr" -> require(MAC.matcher(value).matches() && (Integer.parseInt(value.substring(0, 2), 16) & 1) == 0,
                    "value does not look like a valid unicast MAC address");
            case "pve-ipv4-config" -> require(value.equals("dhcp") || value.equals("manual") || isIpv4Cidr(value),
                    "value does not look like a valid ipv4 network configuration");
            case "pve-ipv6-config" -> require(value.equals("dhcp") || value.equals("auto") || value.equals("manual")
                    || isIpv6Cidr(value), "value does not look like a valid ipv6 network configuration");
            case "lxc-ip-with-ll-iface-list" -> require(LIST_SEPARATOR.splitAsStream(value.trim())
                    .allMatch(ip -> isIpv4(ip) || isIpv6(ip.replaceFirst("%.*$", ""))), "value does not look like a valid IP address");
            case "pve-fw-protocol-spec" -> require(PROTOCOLS.containsKey(value)
                    || (value.matches("\\d{1,3}") && PROTOCOLS.containsValue(Integer.parseInt(value))), "unknown protocol '" + value + "'");
            case "pve-fw-addr-spec" -> firewallAddressSpec(value);
            case "IPorCIDRorAlias" -> require(ALIAS.matcher(value).matches() || family(value) != 0,
                    "value does not look like a valid IP address or CIDR network");
            default -> Optional.empty();
        };
    }

    /**
     * A rule's source or dest as pve-firewall's parse_address_list reads it: an IP set (+name), an alias, or a list of
     * addresses, CIDRs and ranges of one family.
     */
    private static Optional<String> firewallAddressSpec(String value) {
        if (value.startsWith("+")) {
            return require(IPSET_REF.matcher(value).matches(), "invalid ipset name '" + value + "'");
        }
        if (ALIAS.matcher(value).matches()) {
            return Optional.empty();
        }
        int family = 0;
        for (String element : value.split(",", -1)) {
            int dash = element.indexOf('-');
            int one = dash < 0 ? family(element) : family(element.substring(0, dash)) == family(element.substring(dash + 1))
                    && !element.contains("/") ? family(element.substring(0, dash)) : 0;
            if (one == 0) {
                return Optional.of("invalid address '" + element + "'");
            }
            if (family != 0 && one != family) {
                return Optional.of("you can't mix ipv4 and ipv6 addresses");
            }
            family = one;
        }
        return Optional.empty();
    }

    /** 4 or 6 for an address or CIDR of that family, 0 for anything else. */
    private static int family(String value) {
        String address = value.replaceFirst("/.*$", "");
        boolean ipv4 = value.contains("/") ? isIpv4Cidr(value) : isIpv4(value);
        if (ipv4) {
            return 4;
        }
        boolean prefixOk = !value.contains("/") || value.matches(".*/(\\d|[1-9]\\d|1[01]\\d|12[0-8])");
        return prefixOk && Ipv6Cidr.parseAddress(address).isPresent() ? 6 : 0;
    }

    private static Optional<String> eachOf(String list, String format) {
        return LIST_SEPARATOR.splitAsStream(list.trim()).filter(s -> !s.isEmpty())
                .map(item -> check(format, item)).flatMap(Optional::stream).findFirst();
    }

    private static Optional<String> require(boolean ok, String reason) {
        return ok ? Optional.empty() : Optional.of(reason);
    }

    static boolean isDnsName(String value) {
        if (value.isEmpty() || value.endsWith(".")) {
            return false;
        }
        for (String label : value.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv4(String value) {
        String[] octets = value.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv4Cidr(String value) {
        String[] parts = value.split("/", -1);
        return parts.length == 2 && isIpv4(parts[0]) && parts[1].matches("\\d{1,2}") && Integer.parseInt(parts[1]) <= 32;
    }

    static boolean isIpv6(String value) {
        return value.contains(":") && value.matches("[0-9a-fA-F:.]+") && value.split("::", -1).length <= 2;
    }

    private static boolean isIpv6Cidr(String value) {
        String[] parts = value.split("/", -1);
        return parts.length == 2 && isIpv6(parts[0]) && parts[1].matches("\\d{1,3}") && Integer.parseInt(parts[1]) <= 128;
    }
}
