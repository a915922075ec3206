package io.traefikha.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerWriteLocksTest {

    @Test
    void writesToOneServerWaitForEachOtherAndOtherServersDoNot() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> ServerWriteLocks.withLock("dns-a", Duration.ofSeconds(1),
                () -> {
                    holding.countDown();
                    await(release);
                    return null;
                }));
        try {
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> ServerWriteLocks.withLock("dns-a", Duration.ofMillis(100), () -> "second"))
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                            .isEqualTo(ProviderException.Kind.UNAVAILABLE))
                    .hasMessageContaining("another write to dns-a");
            assertThat(ServerWriteLocks.withLock("dns-b", Duration.ofMillis(100), () -> "other server")).isEqualTo("other server");
        } finally {
            release.countDown();
            first.get(5, TimeUnit.SECONDS);
        }
        assertThat(ServerWriteLocks.withLock("dns-a", Duration.ofMillis(100), () -> "after")).isEqualTo("after");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
