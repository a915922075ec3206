package io.traefikha.reconciler;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Cidr;
import io.traefikha.gateway.NameChecker;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * Where the per-name checks come from: the operator dials spec.vip.address on spec.vip.httpsPort itself and trusts the CAs of its
 * JVM, as a browser on the LAN trusts its system's. Tests and the demo put their own in its place.
 */
@ApplicationScoped
public class NameCheckers {

    public NameChecker open(TraefikHAClusterSpec spec) {
        return new HttpsNameChecker(Cidr.hostOf(spec.vip.address), spec.vip.httpsPort, HttpsNameChecker.systemTrust(),
                Clock.systemUTC());
    }
}
