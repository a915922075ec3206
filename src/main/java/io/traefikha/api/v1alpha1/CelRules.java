package io.traefikha.api.v1alpha1;

/**
 * The long CEL expressions of the CRD's cross-field rules, written once here and used in {@code @ValidationRule}s.
 * They use only standard CEL and the strings extension's {@code split}, which every API server that runs CEL rules
 * has (the {@code ip()} and {@code cidr()} functions need Kubernetes 1.30 or newer, so they are not used). CEL has no
 * variables: {@code [value].all(name, ...)} binds a value to a name. An IPv4 address a.b.c.d is the number
 * ((a * 256 + b) * 256 + c) * 256 + d, and two addresses are in one /n subnet when they are equal divided by 2^(32-n).
 */
final class CelRules {

    /** Shortest prefix the node addresses may have: anything shorter puts public address space on the LAN. */
    static final int MIN_PREFIX = 8;
    /** Longest prefix: the subnet must hold four host addresses (primary, secondary, VIP, gateway); a /29 has six. */
    static final int MAX_PREFIX = 29;

    private static final String POWERS_OF_TWO = "[1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192,"
            + " 16384, 32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4194304, 8388608, 16777216, 33554432,"
            + " 67108864, 134217728, 268435456, 536870912, 1073741824, 2147483648, 4294967296]";
    private static final String LAN_PREFIX = "int(self.primary.address.split('/')[1])";

    /**
     * Binds n (the prefix length of the primary's address), size (addresses in the subnet) and gw (the gateway as a
     * number) around a condition; true when the prefix is out of range, which {@link #PREFIX_IN_RANGE} reports.
     */
    private static final String LAN_BINDINGS = "[" + LAN_PREFIX + "].all(n, n < " + MIN_PREFIX + " || n > " + MAX_PREFIX
            + " || [" + POWERS_OF_TWO + "[32 - n]].all(size, [self.network.gateway.split('.')].all(g,"
            + " [((int(g[0]) * 256 + int(g[1])) * 256 + int(g[2])) * 256 + int(g[3])].all(gw, ";
    private static final String LAN_BINDINGS_END = "))))";

    static final String PREFIX_IN_RANGE = "[" + LAN_PREFIX + "].all(n, n >= " + MIN_PREFIX + " && n <= " + MAX_PREFIX + ")";

    static final String SAME_PREFIX = "self.secondary.address.split('/')[1] == self.primary.address.split('/')[1]"
            + " && self.vip.address.split('/')[1] == self.primary.address.split('/')[1]";

    static final String GATEWAY_IS_A_HOST = LAN_BINDINGS + "gw % size != 0 && gw % size != size - 1" + LAN_BINDINGS_END;

    static final String ADDRESSES_ARE_HOSTS_ON_THE_LAN = LAN_BINDINGS
            + "[self.primary.address, self.secondary.address, self.vip.address].all(a, [a.split('/')[0].split('.')].all(o,"
            + " [((int(o[0]) * 256 + int(o[1])) * 256 + int(o[2])) * 256 + int(o[3])].all(ip,"
            + " ip / size == gw / size && ip % size != 0 && ip % size != size - 1 && ip != gw)))" + LAN_BINDINGS_END;

    /** True when duration d is a whole number of seconds (getSeconds() truncates). */
    static final String WHOLE_SECONDS = "duration(string(d.getSeconds()) + 's') == d";

    private CelRules() {
    }
}
