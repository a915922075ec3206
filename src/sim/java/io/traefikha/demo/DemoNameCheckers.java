package io.traefikha.demo;

import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.gateway.NameChecker;
import io.traefikha.reconciler.NameCheckers;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo's names (its simulated containers' VIP) instead of HTTPS to the VIP while the demo runs; otherwise the
 * production checker unchanged. Only in the demo build and the tests (src/sim). Priority 0, below the tests' @Mock.
 */
@Alternative
@Priority(0)
@Singleton
public class DemoNameCheckers extends NameCheckers {

    private final boolean demo;
    private final Provider<DemoHomelab> homelab;

    public DemoNameCheckers(@ConfigProperty(name = DemoMain.ENABLED, defaultValue = "false") boolean demo,
            Provider<DemoHomelab> homelab) {
        this.demo = demo;
        this.homelab = homelab;
    }

    @Override
    public NameChecker open(TraefikHAClusterSpec spec) {
        return demo ? homelab.get().nodes().names : super.open(spec);
    }
}
