package io.traefikha.demo;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Set;

/** The test application as the demo runs it: the demo's node gateway (over the tests' in-memory one) and homelab. */
public class DemoProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(DemoNodeGateways.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DemoHomelabResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
