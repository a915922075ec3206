package io.traefikha.api.v1alpha1;

/** Regular expressions shared by the CRD schema and {@link SpecValidator}, so both layers agree. */
public final class Patterns {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

    public static final String IPV4 = "^" + OCTET + "(\\." + OCTET + "){3}$";
    public static final String IPV4_CIDR = "^" + OCTET + "(\\." + OCTET + "){3}/([0-9]|[12][0-9]|3[0-2])$";
    /**
     * The shape of an IPv6 address with prefix length (hex digits and colons, /0 to /128). The schema checks only the
     * shape; {@link SpecValidator} parses the address fully (groups, one "::") with {@link io.traefikha.domain.Ipv6Cidr}.
     */
    public static final String IPV6_CIDR_SHAPE = io.traefikha.domain.Ipv6Cidr.CIDR_SHAPE;
    /** An IPv4 address or the shape of an IPv6 address, each with prefix length: the entries of vip.addresses. */
    public static final String IP_CIDR = "(" + IPV4_CIDR + ")|(" + IPV6_CIDR_SHAPE + ")";
    /** A Go-style duration with one unit, as CEL's duration() reads it: 100ms, 1s, 2.5s, 5m. */
    public static final String DURATION = "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$";
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** Host names as Proxmox accepts them for a CT (a DNS name, letters in either case). */
    public static final String HOSTNAME = "^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$";
    /** SHA-256 fingerprint as the Proxmox GUI shows it: 32 colon-separated hex pairs. */
    public static final String SHA256_FINGERPRINT = "^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$";
    public static final String HTTPS_URL = "^https://[^/\\s]+(:[0-9]{1,5})?(/.*)?$";
    public static final String HTTP_URL = "^https?://[^/\\s]+(:[0-9]{1,5})?(/.*)?$";
    /** One or more PEM certificates, nothing else (no private key). */
    public static final String PEM_CERTIFICATES = "^(\\s*-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----)+\\s*$";
    /**
     * A systemd unit name as systemctl takes it (letters, digits, ":", "_", ".", "@", "-"), never starting with "-" so it
     * cannot pass for an option.
     */
    public static final String SYSTEMD_UNIT = "^[A-Za-z0-9_:@.][A-Za-z0-9_:@.-]{0,99}$";

    /**
     * A DNS name as RFC 1123 allows it (labels of 1 to 63 letters, digits and '-', lower case), for records, domains
     * and zones; no wildcard. Total length (253) is the field's maxLength.
     */
    public static final String DNS_NAME = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?([.][a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$";

    // The regular expressions below also appear inside CEL rules (string literals there), so they use [.] and never a
    // backslash, and only what RE2 (the API server) and java.util.regex read alike.

    /**
     * First octets that are no host address: "this network" (0), multicast and reserved (224-255). Loopback (127) is
     * let through: the startup benchmark runs its pairs on 127.1.x.x, where the rest of the checks hold.
     */
    public static final String NOT_A_HOST = "^(0|22[4-9]|2[3-5][0-9])[.]";
    /** An absolute directory in normal form: no empty, '.' or '..' segment, no trailing '/', not '/' itself. */
    public static final String NORMAL_ABSOLUTE_PATH = "^(/([^/.][^/]*|[.][^/.][^/]*|[.][.][^/]+))+$";
    /**
     * Trees sync.paths may never reach into, Traefik-named or not: kernel and runtime file systems, temporary files,
     * programs and libraries, and the operator's own files on the nodes.
     */
    public static final String NEVER_SYNCED_TREE = "^/(proc|sys|dev|run|tmp|boot|bin|sbin|lib[^/]*"
            + "|usr/(bin|sbin|lib[^/]*|local/(bin|sbin|lib[^/]*))|etc/traefik-ha)(/|$)";
    /** A path with a directory named after Traefik in it (/etc/traefik, /opt/traefik/conf, /srv/my-traefik). */
    public static final String TRAEFIK_NAMED_TREE = "(?i)/[^/]*traefik[^/]*(/|$)";

    private Patterns() {
    }
}
