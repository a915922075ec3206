package io.traefikha.domain;

import java.math.BigInteger;
import java.util.Optional;

/**
 * An IPv6 address with prefix length as 128-bit arithmetic, for the spec's IPv6 checks. Parsed here rather than with
 * InetAddress, which would resolve a string that is not a literal through DNS.
 */
public record Ipv6Cidr(BigInteger address, int prefixLength) {

    /** The shape of an IPv6 address with prefix length: hex digits and colons, /0 to /128. */
    public static final String CIDR_SHAPE = "^[0-9a-fA-F:]*:[0-9a-fA-F:]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$";
    private static final int GROUPS = 8;
    private static final BigInteger LINK_LOCAL = BigInteger.valueOf(0xfe80).shiftLeft(112);
    private static final BigInteger MULTICAST = BigInteger.valueOf(0xff).shiftLeft(120);

    /** {@code fd00:1::100/64}; empty unless it is a full IPv6 address (no IPv4 tail, no zone) with a prefix length. */
    public static Optional<Ipv6Cidr> parse(String cidr) {
        if (cidr == null || !cidr.matches(CIDR_SHAPE)) {
            return Optional.empty();
        }
        int slash = cidr.indexOf('/');
        return parseAddress(cidr.substring(0, slash)).map(a -> new Ipv6Cidr(a, Integer.parseInt(cidr.substring(slash + 1))));
    }

    /** An IPv6 address without prefix length, as a 128-bit number; empty when it is none. */
    public static Optional<BigInteger> parseAddress(String text) {
        if (text == null || !text.matches("[0-9a-fA-F:]*:[0-9a-fA-F:]*")) {
            return Optional.empty();
        }
        int gap = text.indexOf("::");
        if (gap != text.lastIndexOf("::") || text.contains(":::")) {
            return Optional.empty();
        }
        String[] head = groups(gap < 0 ? text : text.substring(0, gap));
        String[] tail = gap < 0 ? new String[0] : groups(text.substring(gap + 2));
        if (head == null || tail == null || (gap < 0 ? head.length != GROUPS : head.length + tail.length > GROUPS - 1)) {
            return Optional.empty();
        }
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < GROUPS; i++) {
            int fromTail = i - (GROUPS - tail.length);
            String group = i < head.length ? head[i] : fromTail >= 0 ? tail[fromTail] : "0";
            value = value.shiftLeft(16).add(BigInteger.valueOf(Integer.parseInt(group, 16)));
        }
        return Optional.of(value);
    }

    /**
     * An IPv6 address in its one canonical text (RFC 5952: lower case, no leading zeros, the longest run of two or more
     * zero groups as "::"), so that answers written differently by a user, a DNS server and the spec compare equal;
     * empty when it is no IPv6 address.
     */
    public static Optional<String> canonical(String text) {
        return parseAddress(text).map(Ipv6Cidr::format);
    }

    private static String format(BigInteger address) {
        int[] groups = new int[GROUPS];
        for (int i = 0; i < GROUPS; i++) {
            groups[i] = address.shiftRight(16 * (GROUPS - 1 - i)).intValue() & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < GROUPS; i++) {
            int length = 0;
            while (i + length < GROUPS && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < GROUPS; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
            } else {
                if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
        }
        return text.toString();
    }

    /** The colon-separated groups of 1 to 4 hex digits, none for "", null when one is empty or too long. */
    private static String[] groups(String part) {
        if (part.isEmpty()) {
            return new String[0];
        }
        String[] groups = part.split(":", -1);
        for (String group : groups) {
            if (group.isEmpty() || group.length() > 4) {
                return null;
            }
        }
        return groups;
    }

    public boolean sameSubnet(Ipv6Cidr other) {
        int hostBits = 128 - prefixLength;
        return address.shiftRight(hostBits).equals(other.address.shiftRight(hostBits));
    }

    /** Why it cannot be a VIP or a node's address on the LAN, if it cannot. */
    public Optional<String> notAHost() {
        if (address.signum() == 0 || address.equals(BigInteger.ONE)) {
            return Optional.of("is the unspecified or the loopback address");
        }
        if (address.shiftRight(120).equals(MULTICAST.shiftRight(120))) {
            return Optional.of("is a multicast address");
        }
        if (address.shiftRight(118).equals(LINK_LOCAL.shiftRight(118))) {
            return Optional.of("is link-local (fe80::/10): keepalived's VRRP source, not an address clients reach");
        }
        if (prefixLength < 8 || prefixLength > 126) {
            return Optional.of("has the prefix /" + prefixLength + ": use the LAN's prefix length, e.g. /64");
        }
        return Optional.empty();
    }
}
