package io.traefikha.reconciler;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Cidr;
import io.traefikha.step.VipProber;
import jakarta.enterprise.context.ApplicationScoped;

/** Where a drill's VIP probe comes from: the operator dials spec.vip.address on spec.drill.probePort itself. */
@ApplicationScoped
public class VipProbers {

    public VipProber open(TraefikHAClusterSpec spec) {
        return new HttpVipProber(Cidr.hostOf(spec.vip.address), spec.drill == null ? 80 : spec.drill.probePort);
    }
}
