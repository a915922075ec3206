package io.traefikha.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoMainTest {

    @Test
    void onlyTheDemoArgumentOrPropertyStartsTheDemo() {
        // A @QuarkusTest with the demo profile that ran earlier in this JVM may have left the property set.
        String before = System.clearProperty(DemoMain.ENABLED);
        try {
            assertThat(DemoMain.demoRequested()).isFalse();
            assertThat(DemoMain.demoRequested("--scenario")).isFalse();
            assertThat(DemoMain.demoRequested("demo")).isTrue();
            assertThat(DemoMain.demoRequested("demo", "--scenario")).isTrue();
            System.setProperty(DemoMain.ENABLED, "true");
            assertThat(DemoMain.demoRequested()).isTrue();
        } finally {
            if (before == null) {
                System.clearProperty(DemoMain.ENABLED);
            } else {
                System.setProperty(DemoMain.ENABLED, before);
            }
        }
    }

    @Test
    void theDemoSettingsTurnOnTheDemosBeansAndSendTheOperatorsLogToTheWorkDirectory() {
        Path workDir = Path.of("/tmp/traefikha-demo-test");
        assertThat(DemoMain.demoSettings(true, workDir))
                .containsEntry(DemoMain.ENABLED, "true")
                .containsEntry(DemoMain.CONSOLE, "scenario")
                .containsEntry(DemoMain.WORK_DIR, workDir.toString())
                .containsEntry("quarkus.log.file.path", workDir.resolve("operator.log").toString())
                .containsEntry("quarkus.http.host", "127.0.0.1");
        assertThat(DemoMain.demoSettings(false, workDir)).containsEntry(DemoMain.CONSOLE, "interactive");
    }
}
