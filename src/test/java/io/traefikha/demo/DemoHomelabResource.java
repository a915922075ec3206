package io.traefikha.demo;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/** Starts the demo homelab before the operator of the test application, as OperatorMain does for the jar. */
public class DemoHomelabResource implements QuarkusTestResourceLifecycleManager {

    private DemoHomelab homelab;

    @Override
    public Map<String, String> start() {
        homelab = DemoHomelab.start(Path.of(""), DemoTiming.lively());
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        return homelab.operatorConfig();
    }

    @Override
    public void stop() {
        if (homelab != null) {
            homelab.close();
        }
    }
}
