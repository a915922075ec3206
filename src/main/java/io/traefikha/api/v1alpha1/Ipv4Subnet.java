package io.traefikha.api.v1alpha1;

/**
 * An IPv4 subnet as arithmetic on 32-bit addresses, for the spec's address checks: which addresses are inside, which is
 * the network and which the broadcast address. Addresses must already match {@link Patterns#IPV4}.
 */
record Ipv4Subnet(long network, int prefixLength) {

    /** The subnet of {@code address} at {@code prefixLength}, e.g. 192.168.1.1 and 24 give 192.168.1.0/24. */
    static Ipv4Subnet of(String address, int prefixLength) {
        long size = size(prefixLength);
        return new Ipv4Subnet(toLong(address) / size * size, prefixLength);
    }

    boolean contains(String address) {
        return toLong(address) / size(prefixLength) * size(prefixLength) == network;
    }

    String networkAddress() {
        return toText(network);
    }

    String broadcastAddress() {
        return toText(network + size(prefixLength) - 1);
    }

    static long toLong(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = value * 256 + Integer.parseInt(octet);
        }
        return value;
    }

    private static String toText(long value) {
        return (value >> 24) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }

    private static long size(int prefixLength) {
        return 1L << (32 - prefixLength);
    }

    @Override
    public String toString() {
        return networkAddress() + "/" + prefixLength;
    }
}
