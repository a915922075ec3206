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
    /** Longest prefix: the subnet must hold four host addresses (primary, secondary, VIP, gateway); a /29 has six.
     * Further secondaries need more, which the validation of the host addresses then reports. */
    static final int MAX_PREFIX = 29;

    /*
     * "Each of spec.secondaries, or spec.secondary, bound to s satisfies rule R" is written
     * EACH_SECONDARY + R + OR_EACH_LISTED + R + END (annotation values must be constants, so no method builds it). The two
     * fields are checked apart because CEL gives each its own type: one list cannot hold both.
     */
    private static final String EACH_SECONDARY = "(!has(self.secondary) || [self.secondary].all(s, ";
    private static final String OR_EACH_LISTED = ")) && (!has(self.secondaries) || self.secondaries.all(s, ";
    private static final String END = "))";

    /** "No two of spec.secondaries have the same value of V (an expression of s)": UNIQUE + V + UNIQUE_AGAIN + V + UNIQUE_END. */
    private static final String UNIQUE = "(!has(self.secondaries) || self.secondaries.all(s, [";
    private static final String UNIQUE_AGAIN = "].all(v, self.secondaries.exists_one(s, ";
    private static final String UNIQUE_END = " == v))))";

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

    private static final String SAME_PREFIX_AS_PRIMARY = "s.address.split('/')[1] == self.primary.address.split('/')[1]";

    static final String SAME_PREFIX = "self.vip.address.split('/')[1] == self.primary.address.split('/')[1] && "
            + EACH_SECONDARY + SAME_PREFIX_AS_PRIMARY + OR_EACH_LISTED + SAME_PREFIX_AS_PRIMARY + END;

    static final String GATEWAY_IS_A_HOST = LAN_BINDINGS + "gw % size != 0 && gw % size != size - 1" + LAN_BINDINGS_END;

    /** Address a (with prefix length) as a number is a host of the gateway's subnet and not the gateway. */
    private static final String HOST_ON_THE_LAN = "[a.split('/')[0].split('.')].all(o,"
            + " [((int(o[0]) * 256 + int(o[1])) * 256 + int(o[2])) * 256 + int(o[3])].all(ip,"
            + " ip / size == gw / size && ip % size != 0 && ip % size != size - 1 && ip != gw))";

    private static final String SECONDARY_ON_THE_LAN = "[s.address].all(a, " + HOST_ON_THE_LAN + ")";

    static final String ADDRESSES_ARE_HOSTS_ON_THE_LAN = LAN_BINDINGS
            + "[self.primary.address, self.vip.address].all(a, " + HOST_ON_THE_LAN + ") && " + EACH_SECONDARY
            + SECONDARY_ON_THE_LAN + OR_EACH_LISTED + SECONDARY_ON_THE_LAN + END + LAN_BINDINGS_END;

    /** The number of secondaries beyond the first: each has a VRRP priority {@code PrioritiesSpec.STEP} below the last. */
    static final String FURTHER_SECONDARIES = "(has(self.secondaries) ? size(self.secondaries) - 1 : 0)";

    /** secondary-N (N from 2) needs spec.secondaries with at least N entries; primary and secondary always exist. */
    static final String MAINTAINED_NODE_EXISTS = "!has(self.maintenance) || !self.maintenance.node.startsWith('secondary-')"
            + " || (has(self.secondaries) && int(self.maintenance.node.substring(10)) <= size(self.secondaries))";

    private static final String VMID_NOT_PRIMARYS = "s.vmid != self.primary.vmid";
    static final String EVERY_VMID_DIFFERS = EACH_SECONDARY + VMID_NOT_PRIMARYS + OR_EACH_LISTED + VMID_NOT_PRIMARYS + END
            + " && " + UNIQUE + "s.vmid" + UNIQUE_AGAIN + "s.vmid" + UNIQUE_END;

    private static final String HOST = "s.address.split('/')[0]";
    private static final String ADDRESS_NOT_PRIMARYS = HOST + " != self.primary.address.split('/')[0]";
    static final String EVERY_ADDRESS_DIFFERS = EACH_SECONDARY + ADDRESS_NOT_PRIMARYS + OR_EACH_LISTED
            + ADDRESS_NOT_PRIMARYS + END + " && " + UNIQUE + HOST + UNIQUE_AGAIN + HOST + UNIQUE_END;

    private static final String NOT_THE_VIP = "self.vip.address.split('/')[0] != " + HOST;
    static final String VIP_DIFFERS_FROM_SECONDARIES = EACH_SECONDARY + NOT_THE_VIP + OR_EACH_LISTED + NOT_THE_VIP + END;

    static final String EVERY_SECONDARY_HAS_ADDRESS6 = EACH_SECONDARY + "has(s.address6)" + OR_EACH_LISTED
            + "has(s.address6)" + END;

    /** True when duration d is a whole number of seconds (getSeconds() truncates). */
    static final String WHOLE_SECONDS = "duration(string(d.getSeconds()) + 's') == d";

    private CelRules() {
    }
}
