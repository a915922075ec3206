package io.traefikha.reconciler;

import io.quarkus.test.Mock;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.step.VipProber;

/** In @QuarkusTests a drill probes the in-memory pair of {@link InMemoryNodeGateways} instead of dialling the VIP. */
@Mock
public class SimulatedVipProbers extends VipProbers {

    @Override
    public VipProber open(TraefikHAClusterSpec spec) {
        return InMemoryNodeGateways.PAIRS.get(spec.primary.address + "," + spec.secondary.address)::vipAnswers;
    }
}
