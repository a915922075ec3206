package io.traefikha.simulator.node;

import io.traefikha.gateway.NameChecker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The names as a client of a simulated VIP ({@link SimulatedNodes}') sees them: each answers while a node serves the VIP, with a
 * certificate of the simulated homelab CA valid for 60 days from when the simulation started, unless the test (or the
 * demo's console) broke it or let its certificate expire. A test can listen to the names asked.
 */
public final class SimulatedNames implements NameChecker {

    public static final String ISSUER = "CN=Homelab CA (simulated)";
    private static final Duration VALIDITY = Duration.ofDays(60);

    private final BooleanSupplier vipAnswers;
    private final Clock clock;
    private final Instant validUntil;
    private final Set<String> broken = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> expired = new ConcurrentHashMap<>();
    /** Told each name asked (tests count the requests a round makes; the demo keeps none). */
    private volatile Consumer<String> listener = name -> { };

    /** @param vipAnswers whether a node serves the VIP now */
    public SimulatedNames(BooleanSupplier vipAnswers, Clock clock) {
        this.vipAnswers = vipAnswers;
        this.clock = clock;
        this.validUntil = clock.instant().plus(VALIDITY);
    }

    @Override
    public Answer check(String name, Duration timeout) {
        listener.accept(name);
        if (!vipAnswers.getAsBoolean()) {
            return Answer.notServed("cannot connect to the VIP: no node serves it (simulated)");
        }
        if (broken.contains(name)) {
            return Answer.notServed("TLS handshake failed: the VIP's Traefik has no TLS setting for " + name
                    + " (simulated)");
        }
        Instant notAfter = expired.getOrDefault(name, validUntil);
        return new Answer(true, null, ISSUER, notAfter,
                notAfter.isBefore(clock.instant()) ? "expired " + notAfter : null);
    }

    /** From now on, each name asked is passed to {@code asked}. */
    public void onCheck(Consumer<String> asked) {
        this.listener = asked;
    }

    /** The name no longer answers through the VIP (its TLS handshake fails). */
    public void breakName(String name) {
        broken.add(name);
    }

    /** The name's certificate expired yesterday. */
    public void expireCertificate(String name) {
        expired.put(name, clock.instant().minus(Duration.ofDays(1)));
    }

    /** Every name answers again with a valid certificate. */
    public void fixAll() {
        broken.clear();
        expired.clear();
    }

    /** The names broken or with an expired certificate, for the demo's console. */
    public Set<String> misbehaving() {
        Set<String> names = new TreeSet<>(broken);
        names.addAll(expired.keySet());
        return names;
    }
}
