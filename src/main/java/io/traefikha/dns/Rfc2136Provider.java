package io.traefikha.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A zone on a DNS server that takes dynamic updates (RFC 2136) signed with TSIG, e.g. BIND. Reads ask the server itself
 * (no recursion, no caches in between); each change is one UPDATE message whose prerequisite is the RRset we expect,
 * so the server applies it atomically or not at all.
 */
public final class Rfc2136Provider implements DnsProvider {

    private static final Logger LOG = Logger.getLogger(Rfc2136Provider.class);
    private static final Duration LOCK_WAIT = Duration.ofSeconds(30);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** A TSIG key; {@code toString} never shows the secret. */
    public record TsigKey(String name, String algorithm, String secret) {
        @Override
        public String toString() {
            return "TsigKey[" + name + ", " + algorithm + "]";
        }
    }

    private final String server;
    private final int port;
    private final Name zone;
    private final TsigKey key;
    private final long ttl;
    private final TSIG tsig;
    private final Duration timeout;
    private final SimpleResolver resolver;

    /**
     * @param server host name or IPv4 address of the primary server of the zone
     * @param ttl TTL in seconds of the records written
     * @throws IllegalArgumentException for a key name that is not a DNS name, an unknown algorithm or a secret that is
     *         not base64 (the message says which, never the secret)
     * @throws ProviderException (UNAVAILABLE) for a server name that does not resolve
     */
    public Rfc2136Provider(String server, int port, String zone, TsigKey key, long ttl, Duration timeout) {
        this.server = server;
        this.port = port;
        this.zone = absolute(zone);
        this.key = key;
        this.ttl = ttl;
        TSIG tsig = tsig(key);
        try {
            resolver = new SimpleResolver(server);
        } catch (UnknownHostException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "DNS server '" + server + "' cannot be resolved",
                    e);
        }
        resolver.setPort(port);
        resolver.setTCP(true);
        resolver.setTimeout(timeout);
        resolver.setTSIGKey(tsig);
        this.tsig = tsig;
        this.timeout = timeout;
    }

    /**
     * The secret is read strictly (whitespace aside): dnsjava's own reading skips characters outside the alphabet, so a
     * mistyped secret would become another key and be refused by the server as a bad signature, and its String
     * constructor fails on a wrong length with a bare NPE.
     */
    private static TSIG tsig(TsigKey key) {
        Name name = absolute(key.name());
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(WHITESPACE.matcher(key.secret()).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TSIG key '" + key.name() + "': the secret is not base64");
        }
        try {
            return new TSIG(TSIG.algorithmToName(key.algorithm()), name, secret);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TSIG key '" + key.name() + "': unknown algorithm '" + key.algorithm()
                    + "' (e.g. hmac-sha256)", e);
        }
    }

    @Override
    public String server() {
        return server + ":" + port;
    }

    @Override
    public String toString() {
        return "Rfc2136Provider[" + server() + ", zone " + zone + ", " + key + "]";
    }

    /** The zone by transfer (AXFR, TSIG-signed): the server must allow it for the key, e.g. BIND's allow-transfer. */
    @Override
    public List<String> namesAnswering(String address, String domain) {
        ZoneTransferIn transfer = ZoneTransferIn.newAXFR(zone, new InetSocketAddress(server, port), tsig);
        transfer.setTimeout(timeout);
        try {
            transfer.run();
        } catch (ZoneTransferException e) {
            throw new ProviderException(ProviderException.Kind.REJECTED, "zone transfer of " + zone + " from " + server()
                    + " for spec.dns.discover was refused (" + e.getMessage() + "): allow it for key '" + key.name()
                    + "' (BIND: allow-transfer { key \"" + key.name() + "\"; };)", e);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "zone transfer of " + zone + " from " + server()
                    + " with key '" + key.name() + "' for spec.dns.discover failed: " + e.getMessage(), e);
        }
        return transfer.getAXFR().stream().filter(r -> r instanceof ARecord a && a.getAddress().getHostAddress().equals(address))
                .map(r -> r.getName().toString(true).toLowerCase(Locale.ROOT)).filter(name -> DnsProvider.discoverable(name, domain))
                .distinct().sorted().toList();
    }

    @Override
    public Map<String, List<String>> lookup(Collection<String> names, RecordType type) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        for (String name : names) {
            Name qname = absolute(name);
            String what = "query " + type + " " + name;
            Message response = send(Message.newQuery(Record.newRecord(qname, dnsType(type), DClass.IN)), what);
            int rcode = response.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                throw error(response, what);
            }
            List<String> values = new ArrayList<>();
            for (Record r : response.getSection(Section.ANSWER)) {
                if (!r.getName().equals(qname)) {
                    continue; // records of the CNAME chain's target are not this name's answer
                }
                if (r instanceof ARecord a) {
                    values.add(a.getAddress().getHostAddress());
                } else if (r instanceof AAAARecord aaaa) {
                    values.add(RecordType.normalize(aaaa.getAddress().getHostAddress()));
                } else if (r instanceof CNAMERecord c) {
                    values.add(relative(c.getTarget()));
                }
            }
            answers.put(name, values);
        }
        return answers;
    }

    @Override
    public void replace(String name, RecordType type, List<String> expected, List<String> wanted) {
        Name owner = absolute(name);
        Update update = new Update(zone);
        // Prerequisite: exactly the expected RRset (RFC 2136 2.4.2), or none of TYPE and no CNAME at all.
        if (expected.isEmpty()) {
            update.absent(owner, dnsType(type));
            update.absent(owner, Type.CNAME);
        } else {
            expected.forEach(answer -> update.present(record(owner, type, answer, 0)));
        }
        update.delete(owner, dnsType(type));
        update.delete(owner, Type.CNAME);
        wanted.forEach(answer -> update.add(record(owner, type, answer, ttl)));

        String what = "update of " + name + " " + type + " to " + wanted;
        ServerWriteLocks.withLock(server(), LOCK_WAIT, () -> {
            Message response = send(update, what);
            if (response.getRcode() != Rcode.NOERROR) {
                throw error(response, what);
            }
            return null;
        });
        LOG.debugf("%s on %s: %s -> %s", name, server(), expected, wanted);
    }

    private static int dnsType(RecordType type) {
        return type == RecordType.AAAA ? Type.AAAA : Type.A;
    }

    /** An A (AAAA) record for an IPv4 (IPv6) answer of that type, a CNAME record for anything else. */
    private Record record(Name owner, RecordType type, String answer, long recordTtl) {
        try {
            if (type == RecordType.A && Address.isDottedQuad(answer)) {
                return new ARecord(owner, DClass.IN, recordTtl, Address.getByAddress(answer, Address.IPv4));
            }
            if (type == RecordType.AAAA && answer.contains(":")) {
                return new AAAARecord(owner, DClass.IN, recordTtl, Address.getByAddress(answer, Address.IPv6));
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + answer + "' is not an " + (type == RecordType.A ? "IPv4" : "IPv6")
                    + " address", e);
        }
        return new CNAMERecord(owner, DClass.IN, recordTtl, absolute(answer));
    }

    private Message send(Message request, String what) {
        Message response;
        try {
            response = resolver.send(request);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE,
                    "DNS server " + server() + " cannot be reached (" + what + "): " + e, e);
        }
        // A refused key gets an unsigned answer; every other answer must carry the server's signature with our key.
        if (response.getRcode() != Rcode.NOTAUTH && !response.isVerified()) {
            throw new ProviderException(ProviderException.Kind.AUTHENTICATION, "DNS server " + server() + " answered the "
                    + what + " without a valid TSIG signature of key '" + key.name() + "'");
        }
        return response;
    }

    private ProviderException error(Message response, String what) {
        int rcode = response.getRcode();
        String at = "DNS server " + server() + " answered the " + what + " with " + Rcode.string(rcode);
        TSIGRecord tsig = response.getTSIG();
        return switch (rcode) {
            case Rcode.NOTAUTH -> new ProviderException(ProviderException.Kind.AUTHENTICATION, at
                    + (tsig != null && tsig.getError() != Rcode.NOERROR ? " (TSIG " + Rcode.TSIGstring(tsig.getError()) + ")" : "")
                    + ": it does not accept TSIG key '" + key.name() + "' (" + key.algorithm()
                    + ") for zone " + relative(zone) + "; check the key name, algorithm and secret");
            case Rcode.REFUSED -> new ProviderException(ProviderException.Kind.REJECTED, at
                    + ": the zone " + relative(zone) + " is not served there or key '" + key.name() + "' may not do this");
            case Rcode.NOTZONE -> new ProviderException(ProviderException.Kind.REJECTED, at + ": the name is outside zone "
                    + relative(zone));
            case Rcode.NXRRSET, Rcode.YXRRSET, Rcode.NXDOMAIN, Rcode.YXDOMAIN -> new ProviderException(
                    ProviderException.Kind.CONCURRENT_CHANGE, at + ": the record no longer has the expected answers;"
                    + " changed by someone else, not touched");
            default -> new ProviderException(ProviderException.Kind.UNAVAILABLE, at);
        };
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + name + "' is not a DNS name", e);
        }
    }

    private static String relative(Name name) {
        String text = name.toString(true);
        return text.toLowerCase(Locale.ROOT);
    }
}
