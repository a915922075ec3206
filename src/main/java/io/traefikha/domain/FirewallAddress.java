package io.traefikha.domain;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Whether an IPv4 or IPv6 address falls within a Proxmox firewall address spec ({@code source}/{@code dest} of a rule,
 * or an IP set entry): a single address, a CIDR, a range {@code a-b} (IPv4), or a comma-separated list of these. An
 * address never falls within an item of the other family. IP set references ({@code +name}), aliases and IPv6 ranges
 * cannot be decided from the text alone and answer {@link Match#UNKNOWN}.
 */
public final class FirewallAddress {

    public enum Match { YES, NO, UNKNOWN }

    private FirewallAddress() {
    }

    /** {@code spec} null or blank means "any address", as an unset rule source does. */
    public static Match contains(String spec, String address) {
        if (spec == null || spec.isBlank()) {
            return Match.YES;
        }
        Optional<BigInteger> ipv6 = Ipv6Cidr.parseAddress(address);
        long ip = parse(address);
        if (ip < 0 && ipv6.isEmpty()) {
            return Match.UNKNOWN;
        }
        Match result = Match.NO;
        for (String item : spec.split(",")) {
            Match one = ipv6.isPresent() ? containsOne6(item.strip(), ipv6.get()) : containsOne(item.strip(), ip);
            if (one == Match.YES) {
                return Match.YES;
            }
            if (one == Match.UNKNOWN) {
                result = Match.UNKNOWN;
            }
        }
        return result;
    }

    private static Match containsOne6(String item, BigInteger ip) {
        if (parse(item.replaceFirst("[/-].*$", "")) >= 0) {
            return Match.NO; // an IPv4 item
        }
        if (item.contains("-")) {
            return Match.UNKNOWN;
        }
        Optional<Ipv6Cidr> cidr = Ipv6Cidr.parse(item.contains("/") ? item : item + "/128");
        if (cidr.isEmpty()) {
            return Match.UNKNOWN;
        }
        return cidr.get().sameSubnet(new Ipv6Cidr(ip, cidr.get().prefixLength())) ? Match.YES : Match.NO;
    }

    private static Match containsOne(String item, long ip) {
        if (item.contains(":")) {
            return Match.NO; // an IPv6 item
        }
        int slash = item.indexOf('/');
        int dash = item.indexOf('-');
        if (slash > 0) {
            long network = parse(item.substring(0, slash));
            String bits = item.substring(slash + 1);
            if (network < 0 || !bits.matches("\\d{1,2}") || Integer.parseInt(bits) > 32) {
                return Match.UNKNOWN;
            }
            long mask = Integer.parseInt(bits) == 0 ? 0 : (0xFFFFFFFFL << (32 - Integer.parseInt(bits))) & 0xFFFFFFFFL;
            return (ip & mask) == (network & mask) ? Match.YES : Match.NO;
        }
        if (dash > 0) {
            long from = parse(item.substring(0, dash));
            long to = parse(item.substring(dash + 1));
            if (from < 0 || to < 0) {
                return Match.UNKNOWN;
            }
            return ip >= from && ip <= to ? Match.YES : Match.NO;
        }
        long single = parse(item);
        if (single < 0) {
            return Match.UNKNOWN;
        }
        return single == ip ? Match.YES : Match.NO;
    }

    /** The address as an unsigned 32-bit number, or -1 when it is not a dotted IPv4 address. */
    private static long parse(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return -1;
        }
        long value = 0;
        for (String octet : octets) {
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                return -1;
            }
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }
}
