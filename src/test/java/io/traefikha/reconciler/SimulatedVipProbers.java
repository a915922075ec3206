package io.traefikha.reconciler;

import io.quarkus.test.Mock;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.step.EntryPointProber;
import io.traefikha.step.VipProber;

/** In @QuarkusTests the VIP is the in-memory replicas of {@link InMemoryNodeGateways}: drills and the period's check ask it. */
@Mock
public class SimulatedVipProbers extends VipProbers {

    @Override
    public VipProber open(TraefikHAClusterSpec spec) {
        return InMemoryNodeGateways.of(spec)::vipAnswers;
    }

    @Override
    public EntryPointProber entryPoints(TraefikHAClusterSpec spec) {
        return InMemoryNodeGateways.of(spec)::entryPointAnswer;
    }
}
