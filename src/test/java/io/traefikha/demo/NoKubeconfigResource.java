package io.traefikha.demo;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * fabric8 must not read ~/.kube/config or a service account in the demo's test application, as DemoMain ensures for
 * the jar: these are system properties only, so they are set before the application starts.
 */
public class NoKubeconfigResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        return Map.of();
    }

    @Override
    public void stop() {
        System.clearProperty("kubernetes.auth.tryKubeConfig");
        System.clearProperty("kubernetes.auth.tryServiceAccount");
    }
}
