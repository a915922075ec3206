package io.traefikha.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperatorMainTest {

    @Test
    void onlyTheDemoArgumentOrPropertyStartsTheDemo() {
        assertThat(OperatorMain.demoRequested()).isFalse();
        assertThat(OperatorMain.demoRequested("--scenario")).isFalse();
        assertThat(OperatorMain.demoRequested("demo")).isTrue();
        assertThat(OperatorMain.demoRequested("demo", "--scenario")).isTrue();
        System.setProperty("traefikha.demo", "true");
        try {
            assertThat(OperatorMain.demoRequested()).isTrue();
        } finally {
            System.clearProperty("traefikha.demo");
        }
    }
}
