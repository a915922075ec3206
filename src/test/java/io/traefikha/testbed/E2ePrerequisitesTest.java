package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The e2e tier's rule: skip naming what is missing, but fail where CI must not pass by skipping. */
class E2ePrerequisitesTest {

    @Test
    void nothingMissingLetsTheTestRun() {
        assertThatCode(() -> E2ePrerequisites.require(List.of())).doesNotThrowAnyException();
    }

    @Test
    void somethingMissingFailsWhenE2eIsRequired() {
        String before = System.getProperty("e2e.required");
        System.setProperty("e2e.required", "true");
        try {
            assertThatThrownBy(() -> E2ePrerequisites.require(List.of("the 'named' binary (Debian package bind9)")))
                    .isInstanceOf(AssertionFailedError.class).hasMessageContaining("'named'").hasMessageContaining("required");
        } finally {
            restore(before);
        }
    }

    @Test
    void somethingMissingSkipsNamingItOutsideCi() {
        String before = System.getProperty("e2e.required");
        System.clearProperty("e2e.required");
        try {
            Class<? extends Throwable> expected = "true".equals(System.getenv("CI")) ? AssertionFailedError.class
                    : TestAbortedException.class;
            assertThatThrownBy(() -> E2ePrerequisites.require(List.of("root"))).isInstanceOf(expected)
                    .hasMessageContaining("root");
        } finally {
            restore(before);
        }
    }

    private static void restore(String value) {
        if (value == null) {
            System.clearProperty("e2e.required");
        } else {
            System.setProperty("e2e.required", value);
        }
    }
}
