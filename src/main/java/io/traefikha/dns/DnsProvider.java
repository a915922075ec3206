package io.traefikha.dns;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One DNS server holding the service names. Names are fully qualified, lower-case, without a trailing dot.
 * An "answer" is what an A (or AAAA) query for the name gets from this server: an IPv4 (IPv6, in its canonical text)
 * address, or anything else (a CNAME target, AdGuard Home's "keep the upstream's answers" exception) that the migration
 * treats as "points elsewhere".
 */
public interface DnsProvider {

    /** Identifies the server in messages and for {@link ServerWriteLocks} (e.g. its URL or host:port). */
    String server();

    /**
     * The current answers of each name to queries of {@code type}; a name without answers maps to an empty list.
     *
     * @throws ProviderException when the server cannot be read
     */
    Map<String, List<String>> lookup(Collection<String> names, RecordType type);

    /** The A answers, see {@link #lookup(Collection, RecordType)}. */
    default Map<String, List<String>> lookup(Collection<String> names) {
        return lookup(names, RecordType.A);
    }

    /**
     * Every name under {@code domain} (or the domain itself) whose A answers include {@code address}, for spec.dns.discover;
     * wildcards are left out (the operator never changes them).
     *
     * @throws ProviderException when the server cannot be listed
     */
    List<String> namesAnswering(String address, String domain);

    /** Whether a fully qualified NAME is DOMAIN or under it and no wildcard, as {@link #namesAnswering} keeps them. */
    static boolean discoverable(String name, String domain) {
        return !name.contains("*") && (name.equals(domain) || name.endsWith("." + domain));
    }

    /**
     * Compare-and-set: if the name's answers to {@code type} queries are still {@code expected} (as a set), make them
     * exactly {@code wanted}; the other type's records stay as they are.
     * An empty {@code wanted} deletes the name's answers; an empty {@code expected} means the name had none.
     * Writes to one server are serialised with {@link ServerWriteLocks}.
     *
     * @throws ProviderException of kind {@link ProviderException.Kind#CONCURRENT_CHANGE} when the answers are no longer
     *         {@code expected}, or another kind when the server refuses or cannot be reached
     */
    void replace(String name, RecordType type, List<String> expected, List<String> wanted);

    /** The A answers, see {@link #replace(String, RecordType, List, List)}. */
    default void replace(String name, List<String> expected, List<String> wanted) {
        replace(name, RecordType.A, expected, wanted);
    }
}
