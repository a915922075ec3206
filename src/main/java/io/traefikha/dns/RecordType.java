package io.traefikha.dns;

import io.traefikha.domain.Ipv6Cidr;

/** The address records the operator moves: A for the IPv4 VIP, AAAA for the IPv6 VIP. */
public enum RecordType {
    A,
    AAAA;

    /** An answer as the planner compares it: IPv6 addresses in their canonical text, anything else as it is. */
    public static String normalize(String answer) {
        return Ipv6Cidr.canonical(answer).orElse(answer);
    }
}
