package io.traefikha.planner;

import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.ProxmoxTlsSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What in a valid spec lets credentials cross the network in clear or trusts a server unchecked: AdGuard Home over
 * plain http (its Basic-auth credentials go with every request), and insecureSkipVerify anywhere. A warning only: the
 * operator does what the spec says, and Ready does not depend on it.
 */
public final class SecurityWarnings {

    private SecurityWarnings() {
    }

    /** One {@link ConditionTypes#INSECURE_TRANSPORT} finding: True naming each field, or False when there is none. */
    public static List<Finding> of(TraefikHAClusterSpec spec) {
        List<String> found = new ArrayList<>();
        if (spec.proxmox != null) {
            skippedVerification(found, "spec.proxmox.tls", spec.proxmox.tls, "the Proxmox API token");
        }
        DnsSpec dns = spec.dns;
        if (dns != null && dns.provider == DnsSpec.DnsProvider.AdGuardHome && dns.adguard != null) {
            plainHttp(found, "spec.dns.adguard.url", dns.adguard.url);
            for (int i = 0; i < dns.adguard.replicas.size(); i++) {
                plainHttp(found, "spec.dns.adguard.replicas[" + i + "]", dns.adguard.replicas.get(i));
            }
            skippedVerification(found, "spec.dns.adguard.tls", dns.adguard.tls, "the AdGuard Home credentials");
        }
        if (found.isEmpty()) {
            return List.of(new Finding(ConditionTypes.INSECURE_TRANSPORT, false, "Verified",
                    "no plain http and no skipped certificate verification"));
        }
        return List.of(new Finding(ConditionTypes.INSECURE_TRANSPORT, true, "Insecure", String.join("; ", found)));
    }

    private static void plainHttp(List<String> found, String field, String url) {
        if (url != null && url.toLowerCase(Locale.ROOT).startsWith("http://")) {
            found.add(field + " is plain http: the AdGuard Home credentials cross the network in clear (use https,"
                    + " with spec.dns.adguard.tls.caSecretRef or fingerprint for its own certificate)");
        }
    }

    private static void skippedVerification(List<String> found, String field, ProxmoxTlsSpec tls, String what) {
        if (tls != null && tls.insecureSkipVerify) {
            found.add(field + ".insecureSkipVerify is set: any server can pose as this one and receive " + what
                    + " (use caSecretRef or fingerprint)");
        }
    }
}
