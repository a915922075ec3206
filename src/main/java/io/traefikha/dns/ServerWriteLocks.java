package io.traefikha.dns;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One write at a time per DNS server, across every provider instance in this process: AdGuard Home keeps all
 * rewrites in one list, and our read-check-write sequences must not interleave with each other.
 */
public final class ServerWriteLocks {

    private static final Map<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private ServerWriteLocks() {
    }

    /**
     * Runs {@code write} holding the server's lock.
     *
     * @throws ProviderException (UNAVAILABLE) when the lock is not free within {@code wait}
     */
    public static <T> T withLock(String server, Duration wait, Supplier<T> write) {
        ReentrantLock lock = LOCKS.computeIfAbsent(server, s -> new ReentrantLock(true));
        boolean acquired;
        try {
            acquired = lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "interrupted waiting to write to " + server, e);
        }
        if (!acquired) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE,
                    "another write to " + server + " did not finish within " + wait.toSeconds() + "s");
        }
        try {
            return write.get();
        } finally {
            lock.unlock();
        }
    }
}
