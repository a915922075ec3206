package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.traefikha.domain.Role;
import java.util.List;
import java.util.Optional;

/** The virtual IP and the VRRP instance that carries it. */
@ValidationRule(value = "!has(self.version) || self.version == 3 || [duration(self.advertInterval)].all(d,"
        + " d >= duration('1s') && " + CelRules.WHOLE_SECONDS + ")",
        message = "vip.advertInterval below 1s needs vip.version 3 (VRRPv2 only accepts whole seconds)")
@ValidationRule(value = "duration(self.advertInterval) >= duration('10ms') && duration(self.advertInterval) <= duration('255s')",
        message = "vip.advertInterval must be from 10ms to 255s")
@ValidationRule(value = "!has(self.preemptDelay) || duration(self.preemptDelay) <= duration('1000s')",
        message = "vip.preemptDelay must not be longer than 1000s (keepalived's maximum)")
@ValidationRule(value = "!has(self.notifyWebhookUrl) || !has(self.notifyWebhookSecretRef)",
        message = "set at most one of vip.notifyWebhookUrl and vip.notifyWebhookSecretRef")
@ValidationRule(value = "!has(self.httpPort) || !has(self.httpsPort) || self.httpPort != self.httpsPort",
        message = "vip.httpPort and vip.httpsPort must differ")
@ValidationRule(value = "!has(self.addresses) || self.addresses.all(a, a.contains(':') || a == self.address)",
        message = "the IPv4 entry of vip.addresses must be vip.address (vip.address is the IPv4 VIP)")
@ValidationRule(value = "!has(self.addresses) || self.addresses.filter(a, a.contains(':')).size() <= 1",
        message = "vip.addresses holds at most one IPv6 address")
@ValidationRule(value = "!has(self.addresses) || !self.addresses.exists(a, a.contains(':')) || !has(self.version)"
        + " || self.version == 3",
        message = "an IPv6 VIP in vip.addresses needs vip.version 3 (VRRPv2 has no IPv6)")
public class VipSpec {

    @Required
    @Size(max = 18)
    @Pattern(Patterns.IPV4_CIDR)
    @JsonPropertyDescription("The virtual IP with prefix length, e.g. 192.168.1.100/24. Must be free on the network.")
    public String address;

    @Required
    @Min(1)
    @Max(255)
    @JsonPropertyDescription("VRRP virtual router id (1-255). Must be unique among VRRP instances on the same network.")
    public Integer virtualRouterId;

    @Default("3")
    @Min(2)
    @Max(3)
    @JsonPropertyDescription("VRRP protocol version. 3 allows sub-second adverts (fast failover) but has no authentication;"
            + " 2 supports PASS authentication (8 characters) and whole-second adverts only.")
    public int version = 3;

    @Default("120ms")
    @Size(max = 16)
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("Interval between VRRP adverts, e.g. 120ms or 1s. A lost node is taken over after 3 adverts"
            + " plus the secondary's skew time (status.masterDownInterval shows the exact value); a dead Traefik after the"
            + " skew time alone.")
    public String advertInterval = "120ms";

    @JsonPropertyDescription("VRRP priorities; the higher one is MASTER while healthy.")
    public PrioritiesSpec priorities = new PrioritiesSpec();

    @Default("true")
    @JsonPropertyDescription("When true the primary takes the VIP back as soon as it is healthy again.")
    public boolean preempt = true;

    @Size(max = 16)
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("With preempt, wait this long after the primary becomes healthy before taking the VIP back"
            + " (e.g. 30s, so a flapping primary does not bounce traffic).")
    public String preemptDelay;

    @Default("true")
    @JsonPropertyDescription("Send adverts by unicast to the peer's address instead of multicast. Proxmox bridges and homelab"
            + " switches often filter multicast, and unicast keeps two clusters on one segment apart.")
    public boolean unicast = true;

    @Size(max = 2048)
    @Pattern(Patterns.HTTP_URL)
    @JsonPropertyDescription("Optional URL that each node's keepalived notify script POSTs a JSON body to on every VRRP state"
            + " change: {\"cluster\",\"host\",\"state\",\"priority\"}. For a URL that carries a token use"
            + " notifyWebhookSecretRef instead.")
    public String notifyWebhookUrl;

    @JsonPropertyDescription("Alternative to notifyWebhookUrl: Secret whose key 'url' holds the webhook URL (e.g. one with a"
            + " token in it). On the nodes the URL lives only in a root-only (0600) curl config file, never in the notify"
            + " script, keepalived.conf or a command line.")
    public SecretRef notifyWebhookSecretRef;

    @Default("80")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port of Traefik's HTTP entry point on the VIP. Every reconcile period the operator sends one"
            + " GET / to it from where it runs (status.vip.entryPoints); any HTTP status counts as answered.")
    public int httpPort = 80;

    @Default("443")
    @Min(0)
    @Max(65535)
    @JsonPropertyDescription("Port of Traefik's HTTPS entry point on the VIP, requested every period like httpPort, with the"
            + " SNI of the first DNS name the spec moves to the VIP (the certificate is read, not verified); 0: not checked.")
    public int httpsPort = 443;

    @JsonPropertyDescription("Secret whose key 'password' is the VRRP PASS password (VRRP version 2 only; keepalived uses at"
            + " most 8 characters). When absent, the operator generates one into a Secret it owns.")
    public SecretRef authSecretRef;

    @Size(max = 2)
    @JsonPropertyDescription("The VIPs by address family: at most one IPv4 and one IPv6 address, each with prefix length,"
            + " e.g. [192.168.1.100/24, 'fd00:1::100/64']. vip.address stays the IPv4 VIP and is required; an IPv4 entry"
            + " here must repeat it. The IPv6 VIP gets its own VRRPv3 instance (same virtual router id, a separate id"
            + " space per family) in one sync group with the IPv4 one, so both always sit on the same node; with unicast"
            + " adverts it needs primary.address6 and secondary.address6.")
    public List<@Size(max = 43) @Pattern(Patterns.IP_CIDR) String> addresses;

    /**
     * The VRRP priority of this replica: the primary's, the (first) secondary's, and each further secondary
     * {@link PrioritiesSpec#STEP} less than the one before, so that the VIP's order of handover is the list's.
     */
    public int priority(Role role) {
        return role == Role.PRIMARY ? priorities.primary
                : priorities.secondary - (role.index() - 1) * PrioritiesSpec.STEP;
    }

    /** The IPv6 VIP with its prefix length, when vip.addresses has one. */
    public Optional<String> ipv6Address() {
        return addresses == null ? Optional.empty()
                : addresses.stream().filter(a -> a != null && a.contains(":")).findFirst();
    }

    /** VRRP priorities for the two roles. */
    @ValidationRule(value = "self.primary > self.secondary",
            message = "vip.priorities.primary must be higher than vip.priorities.secondary")
    public static class PrioritiesSpec {

        // Close to the top: the secondary's skew time, (256 - 240) / 256 of an advert, is all a handover on a told
        // failure waits: 7 ms with 120 ms adverts, against 61 ms with the former 200/100 and 100 ms adverts. The longer
        // advert keeps the master-down interval (3 adverts + skew: 367 ms) above the former 361 ms, so a loaded primary
        // is no more likely to be taken over spuriously.
        static final int DEFAULT_PRIMARY = 250;
        static final int DEFAULT_SECONDARY = 240;
        /** How much lower each further secondary's priority is than the one before it (secondaries[1], [2], ...). */
        public static final int STEP = 10;

        @Default("" + DEFAULT_PRIMARY)
        @Min(1)
        @Max(254)
        @JsonPropertyDescription("Priority of the primary (1-254).")
        public int primary = DEFAULT_PRIMARY;

        @Default("" + DEFAULT_SECONDARY)
        @Min(1)
        @Max(254)
        @JsonPropertyDescription("Priority of the secondary (1-254), lower than the primary's.")
        public int secondary = DEFAULT_SECONDARY;
    }
}
