package io.traefikha.demo;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * While the demo runs, the operator's Kubernetes client goes to the homelab's embedded API, whose port is known only
 * once it runs; otherwise the client's configuration stays as it is.
 */
@Singleton
public class DemoKubernetesConfig implements KubernetesConfigCustomizer {

    private final boolean demo;
    private final Provider<DemoHomelab> homelab;

    public DemoKubernetesConfig(@ConfigProperty(name = DemoMain.ENABLED, defaultValue = "false") boolean demo,
            Provider<DemoHomelab> homelab) {
        this.demo = demo;
        this.homelab = homelab;
    }

    @Override
    public void customize(Config config) {
        if (demo) {
            config.setMasterUrl(homelab.get().api().baseUrl());
        }
    }
}
