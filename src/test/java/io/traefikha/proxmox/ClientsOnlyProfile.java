package io.traefikha.proxmox;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The application without the operator, for tests of the REST clients against the simulators: a REST Client is built
 * inside the running application (its proxy is generated at build time), but these tests need no Kubernetes. One
 * profile, so all of them share one start of the application.
 */
public class ClientsOnlyProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.operator-sdk.start-operator", "false");
    }
}
