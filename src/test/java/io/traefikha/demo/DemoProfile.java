package io.traefikha.demo;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test application as the demo build runs it with the {@code demo} argument, without the console: the demo's
 * node gateways, VIP probers and name checkers (over the tests' in-memory ones), its homelab, and the demo's operator settings.
 */
public class DemoProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(DemoNodeGateways.class, DemoVipProbers.class, DemoNameCheckers.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(DemoHomelab.operatorConfig(DemoTiming.lively()));
        config.put(DemoMain.ENABLED, "true");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(NoKubeconfigResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
