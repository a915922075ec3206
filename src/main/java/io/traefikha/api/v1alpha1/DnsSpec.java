package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** DNS names that must resolve to the VIP, and where they are kept. */
@ValidationRule(value = "!has(self.provider) || self.provider != 'AdGuardHome' || has(self.adguard)",
        message = "dns.adguard is required when dns.provider is AdGuardHome")
@ValidationRule(value = "!has(self.provider) || self.provider != 'RFC2136' || has(self.rfc2136)",
        message = "dns.rfc2136 is required when dns.provider is RFC2136")
@ValidationRule(value = "!has(self.records) || size(self.records) == 0 || !has(self.provider) || self.provider == 'None'"
        + " || has(self.domain)",
        message = "dns.domain is required when dns.records are listed: every record must be a name under it")
@ValidationRule(value = "!has(self.discover) || !self.discover || !has(self.provider) || self.provider == 'None'"
        + " || has(self.domain)",
        message = "dns.domain is required with dns.discover: names are looked for under it")
@ValidationRule(value = "!has(self.domain) || !has(self.records) || self.records.all(r, !r.contains('.') || r == self.domain"
        + " || r.endsWith('.' + self.domain))",
        message = "dns.records must be names under dns.domain (a name with a dot is taken as written)")
@ValidationRule(value = "!has(self.records) || self.records.all(r, self.records.exists_one(x, x == r))",
        message = "dns.records must not list a name twice")
@ValidationRule(value = "!has(self.provider) || self.provider != 'RFC2136' || !has(self.rfc2136) || !has(self.domain)"
        + " || self.domain == self.rfc2136.zone || self.domain.endsWith('.' + self.rfc2136.zone)",
        message = "dns.domain must be dns.rfc2136.zone or a name under it")
@ValidationRule(value = "!has(self.phases) || self.phases.all(p, self.phases.exists_one(q, q.name == p.name))",
        message = "dns.phases must have distinct names")
public class DnsSpec {

    @Default("None")
    @JsonPropertyDescription("DNS server holding the records: AdGuardHome (DNS rewrites), RFC2136 (dynamic updates with TSIG,"
            + " e.g. BIND or PowerDNS) or None.")
    public DnsProvider provider = DnsProvider.None;

    @JsonPropertyDescription("AdGuard Home settings (provider AdGuardHome).")
    public AdGuardSpec adguard;

    @JsonPropertyDescription("RFC 2136 settings (provider RFC2136).")
    public Rfc2136Spec rfc2136;

    @Size(max = 253)
    @Pattern(Patterns.DNS_NAME)
    @JsonPropertyDescription("Domain appended to record names that contain no dot, e.g. internal.example.com. Every record"
            + " must be a name under it; required when records are listed for a provider.")
    public String domain;

    @JsonPropertyDescription("Names that must resolve to the VIP: a name without a dot gets dns.domain appended, a name"
            + " with one must be under dns.domain. No wildcards. Only records that are missing, point at the primary's"
            + " address or already at the VIP are changed; any other value is reported as a conflict and left alone.")
    @Size(max = 256)
    public List<@Size(max = 253) @Pattern(Patterns.DNS_NAME) String> records = new ArrayList<>();

    @Default("false")
    @JsonPropertyDescription("Also move every name under dns.domain that the DNS server points at the primary's address"
            + " (AdGuard Home's rewrites; an RFC 2136 zone by transfer, AXFR signed with the TSIG key, which the server"
            + " must allow). Found names are listed in status.dns.discovered and move after every phase; a name added later"
            + " is found the next round. Names listed in records and phases keep their place.")
    public boolean discover;

    @JsonPropertyDescription("Optional ordered migration groups (subsets of records, each record in at most one group); each"
            + " group moves only while the cluster is Ready and after the previous group has soaked for soakTime. Records in"
            + " no group move last.")
    @Size(max = 16)
    public List<DnsPhaseSpec> phases = new ArrayList<>();

    @Default("0s")
    @Size(max = 16)
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("How long a migrated group must stay healthy before the next group moves.")
    public String soakTime = "0s";

    @Default("300")
    @Min(1)
    @Max(86400)
    @JsonPropertyDescription("TTL in seconds of records the operator writes (RFC2136).")
    public int ttl = 300;

    @Default("false")
    @JsonPropertyDescription("Also take over records that point at an address other than the primary's or the VIP.")
    public boolean takeOverConflicts;

    /** The name a record stands for: grafana + example.org is grafana.example.org; a name with a dot stays as it is. */
    public static String qualify(String record, String domain) {
        String name = record.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.contains(".") || domain == null || domain.isBlank() ? name : name + "." + domain.toLowerCase(Locale.ROOT);
    }

    /** The DNS servers the operator can update. */
    public enum DnsProvider {
        AdGuardHome,
        RFC2136,
        None
    }

    /** One migration group. */
    public static class DnsPhaseSpec {

        @Required
        @Pattern(Patterns.DNS_LABEL)
        @JsonPropertyDescription("Name of the group, shown in status.")
        public String name;

        @JsonPropertyDescription("Names in this group, each also listed in dns.records.")
        @Size(max = 256)
        public List<@Size(max = 253) @Pattern(Patterns.DNS_NAME) String> records = new ArrayList<>();
    }

    /** AdGuard Home's DNS rewrite API. */
    public static class AdGuardSpec {

        @Required
        @Pattern(Patterns.HTTP_URL)
        @JsonPropertyDescription("Base URL of AdGuard Home, e.g. https://192.168.1.253 (its encryption settings) or"
                + " http://192.168.1.253:3000. Plain http sends the credentials in clear across the LAN and is reported by"
                + " the InsecureTransport condition.")
        public String url;

        @Required
        @JsonPropertyDescription("Secret with keys 'username' and 'password' of an AdGuard Home user.")
        public SecretRef credentialsSecretRef;

        @JsonPropertyDescription("Further AdGuard Home instances (base URLs, same credentials) that must hold the same"
                + " rewrites: a second resolver, or replicas that adguardhome-sync also feeds. Each gets the same changes,"
                + " with its own ownership registry and its writes serialised; status.dns.servers reports each.")
        @ValidationRule(value = "self.all(u, u.startsWith('http://') || u.startsWith('https://'))",
                message = "dns.adguard.replicas must be http(s) URLs")
        @Size(max = 8)
        public List<String> replicas = new ArrayList<>();

        @JsonPropertyDescription("Certificate verification for https URLs (the main server and the replicas): a CA, a"
                + " pinned fingerprint (for AdGuard Home's self-signed certificate) or, reported as insecure,"
                + " insecureSkipVerify. Default: the system's trusted CAs.")
        public ProxmoxTlsSpec tls;
    }

    /** Dynamic DNS updates (RFC 2136) signed with TSIG. */
    public static class Rfc2136Spec {

        @Required
        @Pattern(Patterns.HOSTNAME)
        @JsonPropertyDescription("Primary DNS server accepting updates (host name or IPv4 address).")
        public String server;

        @Default("53")
        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("Port of the DNS server.")
        public int port = 53;

        @Required
        @Size(max = 253)
        @Pattern(Patterns.DNS_NAME)
        @JsonPropertyDescription("Zone the records belong to, e.g. internal.example.com.")
        public String zone;

        @Required
        @JsonPropertyDescription("Secret with keys 'keyName', 'algorithm' (e.g. hmac-sha256) and 'secret' (base64) of the TSIG key.")
        public SecretRef tsigSecretRef;
    }
}
