package io.traefikha.api.v1alpha1;

/** Regular expressions shared by the CRD schema and {@link SpecValidator}, so both layers agree. */
public final class Patterns {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

    public static final String IPV4 = "^" + OCTET + "(\\." + OCTET + "){3}$";
    public static final String IPV4_CIDR = "^" + OCTET + "(\\." + OCTET + "){3}/([0-9]|[12][0-9]|3[0-2])$";
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
    public static final String ABSOLUTE_PATH = "^/[^\\x00]*$";

    private Patterns() {
    }
}
