package io.traefikha.reconciler;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Cidr;
import io.traefikha.step.EntryPointProber;
import io.traefikha.step.VipProber;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where the requests to the VIP come from: the operator dials spec.vip.address itself, for a drill on
 * spec.drill.probePort, and every period on the entry points of spec.vip.
 */
@ApplicationScoped
public class VipProbers {

    public VipProber open(TraefikHAClusterSpec spec) {
        return new HttpVipProber(Cidr.hostOf(spec.vip.address), spec.drill == null ? 80 : spec.drill.probePort);
    }

    public EntryPointProber entryPoints(TraefikHAClusterSpec spec) {
        return new HttpVipProber(Cidr.hostOf(spec.vip.address), spec.vip.httpPort, HttpVipProber.PERIOD_TIMEOUT);
    }
}
