package io.traefikha.demo;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.reconciler.VipProbers;
import io.traefikha.step.EntryPointProber;
import io.traefikha.step.VipProber;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo's VIP is its simulated pair ({@code traefikha.demo=true}): drills and the period's check ask it instead of
 * dialling an address that exists nowhere; otherwise the production probers unchanged. Only in the demo build and the
 * tests (src/sim). Priority 0, below the tests' {@code @Mock} probers (1).
 */
@Alternative
@Priority(0)
@Singleton
public class DemoVipProbers extends VipProbers {

    private final boolean demo;
    private final Provider<DemoHomelab> homelab;

    public DemoVipProbers(@ConfigProperty(name = DemoMain.ENABLED, defaultValue = "false") boolean demo,
            Provider<DemoHomelab> homelab) {
        this.demo = demo;
        this.homelab = homelab;
    }

    @Override
    public VipProber open(TraefikHAClusterSpec spec) {
        return demo ? homelab.get().nodes()::vipAnswers : super.open(spec);
    }

    @Override
    public EntryPointProber entryPoints(TraefikHAClusterSpec spec) {
        return demo ? homelab.get().nodes()::entryPointAnswer : super.entryPoints(spec);
    }
}
