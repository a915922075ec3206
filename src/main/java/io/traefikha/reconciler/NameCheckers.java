package io.traefikha.reconciler;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Cidr;
import io.traefikha.gateway.NameChecker;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import javax.net.ssl.X509TrustManager;

/**
 * Where the per-name checks come from: the operator dials spec.vip.address on spec.vip.httpsPort itself and trusts the CAs of its
 * JVM, as a browser on the LAN trusts its system's. Tests and the demo put their own in its place.
 */
@ApplicationScoped
public class NameCheckers {

    /** Read from the JVM's cacerts once, not at every round that checks names. */
    private final X509TrustManager systemTrust = HttpsNameChecker.systemTrust();

    public NameChecker open(TraefikHAClusterSpec spec) {
        return new HttpsNameChecker(Cidr.hostOf(spec.vip.address), spec.vip.httpsPort, systemTrust, Clock.systemUTC());
    }
}
