package io.traefikha.testbed;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * End-to-end tests on one primary/secondary pair of the test bed, built once per test class and always torn down
 * (also after a failure). {@link HaPair#create()} skips or fails per {@link E2ePrerequisites}.
 */
@Tag("e2e")
public abstract class HaPairE2ETest {

    protected static HaPair pair;

    @BeforeAll
    public static void createPair() {
        pair = HaPair.create();
    }

    @AfterAll
    public static void closePair() {
        if (pair != null) {
            pair.close();
            pair = null;
        }
    }
}
