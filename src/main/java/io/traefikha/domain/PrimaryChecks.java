package io.traefikha.domain;

import java.util.List;

/**
 * What preflight learns on the primary over SSH, read-only: who answers for each address on the LAN, and whether the
 * container may manage addresses and send VRRP.
 *
 * @param arpingInstalled iputils' {@code arping} is on the primary (without it the addresses cannot be probed)
 * @param addresses       one answer per address asked about, in order (empty without arping)
 * @param capEff          the effective capabilities of the container's init (CapEff of /proc/1/status), which the
 *                        services it starts, keepalived among them, cannot exceed; null when unreadable
 */
public record PrimaryChecks(boolean arpingInstalled, List<AddressProbe> addresses, Long capEff) {

    /** CAP_NET_ADMIN: add and remove addresses (the VIP). */
    public static final int CAP_NET_ADMIN = 12;
    /** CAP_NET_RAW: the raw socket VRRP adverts are sent on. */
    public static final int CAP_NET_RAW = 13;

    public PrimaryChecks {
        addresses = List.copyOf(addresses);
    }

    public boolean has(int capability) {
        return capEff != null && (capEff >>> capability & 1) == 1;
    }

    /**
     * Duplicate address detection for one address from the primary's interface.
     *
     * @param mac    who answered (ANSWERED; null for an IPv6 address that answered through a router), else null
     * @param detail arping's error (ERROR), else null
     */
    public record AddressProbe(String address, Outcome outcome, String mac, String detail) {
    }

    public enum Outcome {
        /** Nobody answered. */
        FREE,
        /** Someone on the LAN holds it. */
        ANSWERED,
        /** The primary's own interface has it (not a conflict: the pair's own). */
        HELD_BY_PRIMARY,
        /** arping could not run (e.g. no such interface). */
        ERROR
    }
}
