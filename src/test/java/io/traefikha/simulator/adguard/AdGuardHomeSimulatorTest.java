package io.traefikha.simulator.adguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.reconciler.MovableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator speaks the rewrite API as REWRITE-API-NOTES documents it, checked at the HTTP level. */
class AdGuardHomeSimulatorTest {

    private static final String AUTH = basic("admin", "s3cret");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private AdGuardHomeSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private AdGuardHomeSimulator start(AdGuardHomeSimulator.Builder builder) {
        sim = builder.user("admin", "s3cret").start();
        return sim;
    }

    @Test
    void addAppendsWithoutDedupeLowerCasesAndAnswersAnEmpty200() throws Exception {
        start(AdGuardHomeSimulator.builder());
        var first = send("POST", "/control/rewrite/add", "{\"domain\":\"Grafana.Example.org\",\"answer\":\"10.0.0.1\"}");
        var second = send("POST", "/control/rewrite/add", "{\"DOMAIN\":\"grafana.example.org\",\"Answer\":\"10.0.0.1\",\"x\":1}");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEmpty();
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(sim.rewrites()).containsExactly(new Rewrite("grafana.example.org", "10.0.0.1"),
                new Rewrite("grafana.example.org", "10.0.0.1"));
        var list = send("GET", "/control/rewrite/list", null);
        assertThat(list.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(list.body()).isEqualTo("[{\"domain\":\"grafana.example.org\",\"answer\":\"10.0.0.1\",\"enabled\":true},"
                + "{\"domain\":\"grafana.example.org\",\"answer\":\"10.0.0.1\",\"enabled\":true}]");
    }

    @Test
    void anIpv6AnswerIsStoredAsSentAndAnswersOnlyAaaaQueries() throws Exception {
        start(AdGuardHomeSimulator.builder().rewrites(List.of(new Rewrite("v4only.lan", "10.0.0.1"),
                new Rewrite("cname.lan", "target.lan"), new Rewrite("upstream6.lan", "10.0.0.1"),
                new Rewrite("upstream6.lan", "AAAA"))));
        assertThat(send("POST", "/control/rewrite/add", "{\"domain\":\"grafana.lan\",\"answer\":\"10.0.0.1\"}")
                .statusCode()).isEqualTo(200);
        assertThat(send("POST", "/control/rewrite/add", "{\"domain\":\"grafana.lan\",\"answer\":\"FD00:0::100\"}")
                .statusCode()).isEqualTo(200);

        assertThat(send("GET", "/control/rewrite/list", null).body())
                .contains("{\"domain\":\"grafana.lan\",\"answer\":\"FD00:0::100\",\"enabled\":true}");
        assertThat(sim.query("grafana.lan", "A")).contains(List.of("10.0.0.1"));
        assertThat(sim.query("grafana.lan", "AAAA")).contains(List.of("FD00:0::100"));
        // Only IPv4 rewrites: an AAAA query gets an empty answer, unless the "AAAA" exception sends it upstream.
        assertThat(sim.query("v4only.lan", "AAAA")).contains(List.of());
        assertThat(sim.query("upstream6.lan", "AAAA")).isEmpty();
        assertThat(sim.query("upstream6.lan", "A")).contains(List.of("10.0.0.1"));
        assertThat(sim.query("cname.lan", "AAAA")).contains(List.of("target.lan"));
        assertThat(sim.query("unknown.lan", "A")).isEmpty();
        // An update compares the answer byte-exactly: the lower-case spelling is another pair.
        assertThat(send("PUT", "/control/rewrite/update", "{\"target\":{\"domain\":\"grafana.lan\",\"answer\":"
                + "\"fd00::100\"},\"update\":{\"domain\":\"grafana.lan\",\"answer\":\"fd00::200\"}}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void emptyListIsAnEmptyArray() throws Exception {
        start(AdGuardHomeSimulator.builder());
        assertThat(send("GET", "/control/rewrite/list", null).body()).isEqualTo("[]");
    }

    @Test
    void deleteRemovesEveryExactMatchAndIs200EvenWhenNothingMatched() throws Exception {
        start(AdGuardHomeSimulator.builder().rewrites(List.of(new Rewrite("a.lan", "10.0.0.1"), new Rewrite("b.lan", "10.0.0.1"),
                new Rewrite("a.lan", "10.0.0.1"), new Rewrite("a.lan", "10.0.0.2"))));

        assertThat(send("POST", "/control/rewrite/delete", "{\"domain\":\"a.lan\",\"answer\":\"10.0.0.1\"}").statusCode()).isEqualTo(200);
        var none = send("POST", "/control/rewrite/delete", "{\"domain\":\"A.LAN\",\"answer\":\"10.0.0.2\"}"); // byte-exact

        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEmpty();
        assertThat(sim.rewrites()).containsExactly(new Rewrite("b.lan", "10.0.0.1"), new Rewrite("a.lan", "10.0.0.2"));
    }

    @Test
    void updateReplacesTheFirstMatchInPlaceAndKeepsEnabledWhenOmitted() throws Exception {
        start(AdGuardHomeSimulator.builder().rewrites(List.of(new Rewrite("a.lan", "10.0.0.1", false),
                new Rewrite("b.lan", "10.0.0.9"), new Rewrite("a.lan", "10.0.0.1"))));

        var ok = send("PUT", "/control/rewrite/update", "{\"target\":{\"domain\":\"a.lan\",\"answer\":\"10.0.0.1\"},"
                + "\"update\":{\"domain\":\"A.lan\",\"answer\":\"10.0.0.5\"}}");
        var missing = send("PUT", "/control/rewrite/update", "{\"target\":{\"domain\":\"c.lan\",\"answer\":\"10.0.0.1\"},"
                + "\"update\":{\"domain\":\"c.lan\",\"answer\":\"10.0.0.5\"}}");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEmpty();
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("target rule not found\n");
        assertThat(missing.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(sim.rewrites()).containsExactly(new Rewrite("a.lan", "10.0.0.5", false), new Rewrite("b.lan", "10.0.0.9"),
                new Rewrite("a.lan", "10.0.0.1"));
    }

    @Test
    void answersAreValidatedAndEnabledMustBeABoolean() throws Exception {
        start(AdGuardHomeSimulator.builder());
        for (String answer : List.of("10.0.0.1", "fd00::1", "A", "AAAA", "target.example.org")) {
            assertThat(send("POST", "/control/rewrite/add", "{\"domain\":\"x.lan\",\"answer\":\"" + answer + "\"}").statusCode())
                    .as(answer).isEqualTo(200);
        }
        var bad = send("POST", "/control/rewrite/add", "{\"domain\":\"x.lan\",\"answer\":\"not a name!\"}");
        var badEnabled = send("POST", "/control/rewrite/add", "{\"domain\":\"x.lan\",\"answer\":\"10.0.0.1\",\"enabled\":\"yes\"}");
        var badJson = send("POST", "/control/rewrite/add", "{\"domain\":");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).startsWith("normalizing: invalid CNAME target \"not a name!\"");
        assertThat(badEnabled.statusCode()).isEqualTo(400);
        assertThat(badEnabled.body()).startsWith("json.Decode: ");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.body()).startsWith("json.Decode: ");
        assertThat(sim.rewrites()).hasSize(5);
    }

    @Test
    void authFailureIs401WithEmptyBodyAndLocksTheAddressOut() throws Exception {
        var now = new MovableClock(Instant.parse("2025-06-01T08:00:00Z"));
        start(AdGuardHomeSimulator.builder().lockOut(3, Duration.ofMinutes(15)).clock(now));

        for (int i = 0; i < 3; i++) {
            var refused = send("GET", "/control/rewrite/list", null, basic("admin", "wrong"));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).isEmpty();
            assertThat(refused.headers().firstValue("WWW-Authenticate")).isEmpty();
        }
        assertThat(send("GET", "/control/rewrite/list", null).statusCode()).as("blocked despite correct credentials").isEqualTo(401);
        assertThat(send("GET", "/control/rewrite/list", null, null).statusCode()).isEqualTo(401);

        now.advance(Duration.ofMinutes(16));
        assertThat(send("GET", "/control/rewrite/list", null).statusCode()).isEqualTo(200);
    }

    @Test
    void noUsersMeansNoAuth() throws Exception {
        sim = AdGuardHomeSimulator.builder().start();
        assertThat(send("GET", "/control/rewrite/list", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongMethodIs405() throws Exception {
        start(AdGuardHomeSimulator.builder());
        var get = send("GET", "/control/rewrite/add", null);
        var post = send("POST", "/control/rewrite/update", "{}");

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.body()).isEqualTo("only method POST is allowed\n");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).isEqualTo("only method PUT is allowed\n");
    }

    @Test
    void contentTypeMustBeExactlyApplicationJsonAndAbsentWithoutBody() throws Exception {
        start(AdGuardHomeSimulator.builder());
        String body = "{\"domain\":\"x.lan\",\"answer\":\"10.0.0.1\"}";
        var withCharset = http.send(request("POST", "/control/rewrite/add", body, "application/json; charset=utf-8", AUTH),
                HttpResponse.BodyHandlers.ofString());
        var missing = http.send(request("POST", "/control/rewrite/add", body, null, AUTH), HttpResponse.BodyHandlers.ofString());
        var emptyWithType = http.send(request("POST", "/control/rewrite/add", "", "application/json", AUTH),
                HttpResponse.BodyHandlers.ofString());

        assertThat(withCharset.statusCode()).isEqualTo(415);
        assertThat(withCharset.body()).isEqualTo("only content-type application/json is allowed\n");
        assertThat(missing.statusCode()).isEqualTo(415);
        assertThat(emptyWithType.statusCode()).isEqualTo(415);
        assertThat(emptyWithType.body()).isEqualTo("empty body with content-type \"application/json\" not allowed\n");
        assertThat(sim.rewrites()).isEmpty();
    }

    @Test
    void olderServersHaveNoUpdateEndpointAndNoEnabledField() throws Exception {
        start(AdGuardHomeSimulator.builder().version("v0.107.29"));
        send("POST", "/control/rewrite/add", "{\"domain\":\"x.lan\",\"answer\":\"10.0.0.1\",\"enabled\":false}");

        assertThat(send("PUT", "/control/rewrite/update", "{}").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/control/rewrite/settings", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/control/rewrite/list", null).body()).isEqualTo("[{\"domain\":\"x.lan\",\"answer\":\"10.0.0.1\"}]");
        assertThat(send("GET", "/control/status", null).body()).contains("\"version\":\"v0.107.29\"").doesNotContain("start_time");
    }

    @Test
    void settingsSwitchRewritesOffWithAnEmptyObject() throws Exception {
        start(AdGuardHomeSimulator.builder());
        assertThat(send("GET", "/control/rewrite/settings", null).body()).isEqualTo("{\"enabled\":true}");
        assertThat(send("PUT", "/control/rewrite/settings/update", "{}").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/control/rewrite/settings", null).body()).isEqualTo("{\"enabled\":false}");
    }

    @Test
    void beforeSetupEveryControlCallIsRedirected() throws Exception {
        start(AdGuardHomeSimulator.builder().setupCompleted(false));
        var answer = send("GET", "/control/rewrite/list", null);
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location")).contains("install.html");
    }

    @Test
    void injectedFailuresAnswerWithTheStatusAndChangeNothing() throws Exception {
        start(AdGuardHomeSimulator.builder());
        sim.failNextRequests(1, 503);
        var failed = send("POST", "/control/rewrite/add", "{\"domain\":\"x.lan\",\"answer\":\"10.0.0.1\"}");
        var next = send("GET", "/control/rewrite/list", null);

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(sim.rewrites()).isEmpty();
    }

    @Test
    void homelabPresetHoldsTheSeeds26NamesAtThePrimary() {
        start(AdGuardHomeSimulator.builder().rewrites(HomelabPreset.rewrites()));
        assertThat(sim.rewrites()).hasSize(26).allSatisfy(r -> {
            assertThat(r.domain()).endsWith(".internal.lakehouse.wtf");
            assertThat(r.answer()).isEqualTo("192.168.1.110");
        });
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, AUTH);
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
        return http.send(request(method, path, body, body == null ? null : "application/json", authorization),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String body, String contentType, String authorization) {
        var b = HttpRequest.newBuilder(URI.create(sim.url() + path)).timeout(Duration.ofSeconds(5));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
