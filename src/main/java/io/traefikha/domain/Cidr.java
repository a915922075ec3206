package io.traefikha.domain;

/**
 * An IPv4 address with its prefix length, as the spec writes addresses ({@code 192.168.1.110/24}). The form itself is
 * checked by the CRD's patterns and the spec validator; this type only takes it apart.
 */
public record Cidr(String host, int prefixLength) {

    /** {@code a.b.c.d/n}; without a prefix length the address stands alone (/32). */
    public static Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return new Cidr(cidr, 32);
        }
        return new Cidr(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)));
    }

    /** The address part of {@code a.b.c.d/n}: what is dialled, compared and written into DNS. */
    public static String hostOf(String cidr) {
        return parse(cidr).host();
    }

    @Override
    public String toString() {
        return host + "/" + prefixLength;
    }
}
