package io.traefikha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.traefikha.reconciler.TraefikHAReconciler;

/**
 * The environment variables deploy/ and the chart set only work if application.properties keeps the names they map
 * to. Quarkus maps an env var to a property by upper-casing it and turning "." and "-" into "_"; these checks fail
 * when a rename on one side is not followed on the other.
 */
class ConfigWiringTest {

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Manifests.REPO.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    @Test
    void namespacesEnvVarNamesTheReconcilersController() throws IOException {
        // QUARKUS_OPERATOR_SDK_CONTROLLERS_TRAEFIKHA_NAMESPACES <-> quarkus.operator-sdk.controllers.traefikha.namespaces
        assertThat(TraefikHAReconciler.NAME).isEqualTo("traefikha");
        assertThat(applicationProperties()).containsKey("quarkus.operator-sdk.controllers.traefikha.namespaces");
    }

    @Test
    void jsonLogsAndLeaderElectionAreOffUnlessTheDeploymentTurnsThemOn() throws IOException {
        Properties properties = applicationProperties();
        assertThat(properties.getProperty("quarkus.log.console.json.enabled")).isEqualTo("false");
        assertThat(properties.getProperty("traefikha.leader-election.enabled")).isEqualTo("false");
        // the election only runs in profiles listed here, and the deployment runs the prod profile
        assertThat(properties.getProperty("quarkus.operator-sdk.activate-leader-election-for-profiles")).contains("prod");
    }

    @Test
    void logLevelEnvVarIsRead() throws IOException {
        assertThat(applicationProperties().getProperty("quarkus.log.category.\"io.traefikha\".level"))
                .startsWith("${TRAEFIKHA_LOG_LEVEL:");
    }
}
