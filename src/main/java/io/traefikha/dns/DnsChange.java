package io.traefikha.dns;

import java.util.List;

/**
 * One planned write: make {@code name}'s {@code type} records answer {@code to} if they still answer {@code from}.
 *
 * @param group the migration group, for MIGRATE and TAKE_OVER; null otherwise
 */
public record DnsChange(RecordType type, String name, List<String> from, List<String> to, Reason reason, String group) {

    /** Why the operator changes the record; Events and logs say it. */
    public enum Reason {
        /** Pointed at the primary (or was missing): now at the VIP. */
        MIGRATE,
        /** Pointed elsewhere and spec.dns.takeOverConflicts is set: now at the VIP. */
        TAKE_OVER,
        /** No longer in the spec: back to what it was before the operator changed it. */
        REVERT,
        /** Rollback of the whole resource: back to what it was before the operator changed it. */
        ROLLBACK
    }

    public DnsChange {
        from = List.copyOf(from);
        to = List.copyOf(to);
    }

    /** A change of the name's A records, the IPv4 VIP's. */
    public DnsChange(String name, List<String> from, List<String> to, Reason reason, String group) {
        this(RecordType.A, name, from, to, reason, group);
    }

    /**
     * e.g. "grafana.example.org: [192.168.1.110] -> [192.168.1.100] (MIGRATE, group day-3)", with " AAAA" after the name
     * for a change of its AAAA records.
     */
    public String describe() {
        return name + (type == RecordType.AAAA ? " AAAA" : "") + ": " + from + " -> " + to + " (" + reason
                + (group == null ? "" : ", group " + group) + ")";
    }
}
