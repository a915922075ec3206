package io.traefikha.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.Rewrite;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The AdGuard Home provider against the simulator: every rule of the notes the provider has to live with. */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
class AdGuardHomeProviderTest {

    static final String PASSWORD = "correct-horse-battery";
    static final String P = "192.168.1.110";
    static final String V = "192.168.1.100";

    private AdGuardHomeSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private AdGuardHomeProvider start(AdGuardHomeSimulator.Builder builder, Rewrite... rewrites) {
        sim = builder.user("operator", PASSWORD).rewrites(List.of(rewrites)).start();
        return provider(PASSWORD, Duration.ofSeconds(5));
    }

    private AdGuardHomeProvider provider(String password, Duration timeout) {
        return new AdGuardHomeProvider(sim.url(), "operator", password, timeout);
    }

    private List<String> writes() {
        return sim.requestLog().stream().filter(r -> !r.startsWith("GET")).toList();
    }

    @Test
    void lookupReturnsTheAnswersOfAQueriesAndIgnoresDisabledAndIpv6Rewrites() {
        var provider = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P), new Rewrite("a.lan", P),
                new Rewrite("a.lan", "fd00::1"), new Rewrite("b.lan", "10.0.0.9", false), new Rewrite("c.lan", "target.lan"),
                new Rewrite("other.lan", V));

        assertThat(provider.lookup(List.of("a.lan", "b.lan", "c.lan", "missing.lan"))).isEqualTo(Map.of(
                "a.lan", List.of(P), "b.lan", List.of(), "c.lan", List.of("target.lan"), "missing.lan", List.of()));
    }

    @Test
    void replaceUpdatesInPlaceKeepingTheEntrysPosition() {
        var provider = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P), new Rewrite("b.lan", P));

        provider.replace("a.lan", List.of(P), List.of(V));

        assertThat(sim.rewrites()).containsExactly(new Rewrite("a.lan", V), new Rewrite("b.lan", P));
        assertThat(writes()).containsExactly("PUT /control/rewrite/update");
    }

    @Test
    void replaceIsIdempotentAndNeverCreatesADuplicate() {
        var provider = start(AdGuardHomeSimulator.builder());

        provider.replace("new.lan", List.of(), List.of(V));
        provider.replace("new.lan", List.of(V), List.of(V));

        assertThat(sim.rewrites()).containsExactly(new Rewrite("new.lan", V));
        assertThat(writes()).containsExactly("POST /control/rewrite/add");
    }

    @Test
    void duplicatesOfTheOldAnswerAreRemovedToo() {
        var provider = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P), new Rewrite("a.lan", P));

        provider.replace("a.lan", List.of(P), List.of(V));

        assertThat(sim.rewrites()).containsExactly(new Rewrite("a.lan", V));
    }

    @Test
    void anEmptyWantedListDeletesTheName() {
        var provider = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", V), new Rewrite("b.lan", V));

        provider.replace("a.lan", List.of(V), List.of());

        assertThat(sim.rewrites()).containsExactly(new Rewrite("b.lan", V));
    }

    @Test
    void olderServersWithoutUpdateGetAddThenDelete() {
        var provider = start(AdGuardHomeSimulator.builder().version("v0.107.29"), new Rewrite("a.lan", P),
                new Rewrite("b.lan", P));

        provider.replace("a.lan", List.of(P), List.of(V));

        assertThat(sim.rewrites()).containsExactly(new Rewrite("b.lan", P), new Rewrite("a.lan", V));
        assertThat(writes()).containsExactly("POST /control/rewrite/add", "POST /control/rewrite/delete");
        assertThat(provider.lookup(List.of("a.lan"))).isEqualTo(Map.of("a.lan", List.of(V)));
    }

    @Test
    void anUnexpectedCurrentAnswerIsAConcurrentChangeAndNothingIsWritten() {
        var provider = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", "192.168.1.50"));

        assertThatThrownBy(() -> provider.replace("a.lan", List.of(P), List.of(V)))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.CONCURRENT_CHANGE))
                .hasMessageContaining("a.lan").hasMessageContaining("192.168.1.50");
        assertThat(writes()).isEmpty();
    }

    @Test
    void aWriterRacingOursIsDetected() {
        var provider = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P), new Rewrite("b.lan", P));

        sim.raceNextChange(() -> sim.removeRewrites("a.lan"));
        assertThatThrownBy(() -> provider.replace("a.lan", List.of(P), List.of(V)))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.CONCURRENT_CHANGE));

        sim.raceNextChange(() -> sim.addRewrite(new Rewrite("b.lan", "192.168.1.77")));
        assertThatThrownBy(() -> provider.replace("b.lan", List.of(P), List.of(V)))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.CONCURRENT_CHANGE))
                .hasMessageContaining("another writer");
    }

    @Test
    void wrongCredentialsAreAnAuthenticationErrorThatNeverShowsThePassword() {
        start(AdGuardHomeSimulator.builder());
        var wrong = provider("not-the-password", Duration.ofSeconds(5));

        assertThatThrownBy(() -> wrong.lookup(List.of("a.lan")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.AUTHENTICATION))
                .hasMessageContaining("401").hasMessageContaining("'operator'").hasMessageNotContaining("not-the-password");
        assertThat(wrong.toString()).doesNotContain("not-the-password");
    }

    @Test
    void afterTooManyFailuresEvenTheRightPasswordIsRefused() {
        var right = start(AdGuardHomeSimulator.builder().lockOut(2, Duration.ofMinutes(15)));
        var wrong = provider("nope", Duration.ofSeconds(5));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> wrong.lookup(List.of("a.lan"))).isInstanceOf(ProviderException.class);
        }

        assertThatThrownBy(() -> right.lookup(List.of("a.lan")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.AUTHENTICATION))
                .hasMessageContaining("blocked");
    }

    @Test
    void serverErrorsAndRejectionsCarryTheServersPlainTextMessage() {
        var provider = start(AdGuardHomeSimulator.builder(), new Rewrite("a.lan", P));

        sim.failNextRequests(1, 500);
        assertThatThrownBy(() -> provider.lookup(List.of("a.lan")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.UNAVAILABLE))
                .hasMessage("AdGuard Home at " + sim.url() + "/ answered GET /control/rewrite/list with 500: simulated failure");

        assertThatThrownBy(() -> provider.replace("a.lan", List.of(P), List.of("not an address!")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.REJECTED))
                .hasMessageContaining("400: normalizing: invalid CNAME target");
    }

    @Test
    void aServerBeforeItsSetupIsReportedAsSuch() {
        var provider = start(AdGuardHomeSimulator.builder().setupCompleted(false));

        assertThatThrownBy(() -> provider.lookup(List.of("a.lan")))
                .hasMessageContaining("302").hasMessageContaining("setup is not completed");
    }

    @Test
    void slowAndUnreachableServersTimeOutWithAClearMessage() throws Exception {
        start(AdGuardHomeSimulator.builder());
        sim.injectLatency(Duration.ofMillis(1500));
        var impatient = provider(PASSWORD, Duration.ofMillis(300));
        assertThatThrownBy(() -> impatient.lookup(List.of("a.lan")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.UNAVAILABLE))
                .hasMessageContaining("cannot be reached");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var nobody = new AdGuardHomeProvider("http://127.0.0.1:" + closedPort, "operator", PASSWORD, Duration.ofSeconds(2));
        assertThatThrownBy(() -> nobody.lookup(List.of("a.lan")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.UNAVAILABLE))
                .hasMessageContaining("cannot be reached");
    }
}
