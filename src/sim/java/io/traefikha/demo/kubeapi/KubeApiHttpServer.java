package io.traefikha.demo.kubeapi;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The HTTP side of the embedded API, on loopback. Our own Vert.x server rather than the mock's MockWebServer,
 * because that one answers every request with one complete body and kubectl's watches need a stream.
 */
final class KubeApiHttpServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubeApiHttpServer.class);
    /** A real API server ends watches after 30-60 minutes unless the client asks for less (timeoutSeconds). */
    private static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofMinutes(30);
    /** For starting and for stopping. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** Framing headers are Vert.x's job: the mock's may not match how we send the body. */
    private static final Set<String> FRAMING_HEADERS = Set.of("content-length", "transfer-encoding");

    private final Vertx vertx;
    private final HttpServer server;
    private final KubectlDispatcher dispatcher;

    private KubeApiHttpServer(Vertx vertx, HttpServer server, KubectlDispatcher dispatcher) {
        this.vertx = vertx;
        this.server = server;
        this.dispatcher = dispatcher;
    }

    static KubeApiHttpServer start(KubectlDispatcher dispatcher) {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
            KubeApiHttpServer api = new KubeApiHttpServer(vertx, server, dispatcher);
            server.requestHandler(api::handle).listen().toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return api;
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("the embedded Kubernetes API did not start", e);
        }
    }

    int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest http) {
        if (isWebSocketUpgrade(http)) {
            // Upgrade synchronously, before the request is read; only the mock's watches are WebSockets.
            RecordedRequest request = recorded(http, null);
            MockResponse response = dispatcher.dispatch(request);
            if (response.getWebSocketListener() != null) {
                http.toWebSocket().onSuccess(new ServerWebSocketHandler(request, response))
                        .onFailure(e -> LOG.debugf(e, "WebSocket upgrade of %s failed", http.uri()));
            } else {
                send(http, response);
            }
            return;
        }
        http.body().onSuccess(body -> {
            RecordedRequest request = recorded(http, body);
            try {
                if (request.method() == HttpMethod.GET && ApiRequest.of(request.getPath()).isWatch()) {
                    streamWatch(http, request);
                } else {
                    send(http, dispatcher.dispatch(request));
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s %s failed", request.getMethod(), request.getPath());
                http.response().setStatusCode(500).end(String.valueOf(e.getMessage()));
            }
        }).onFailure(e -> http.response().setStatusCode(500).end());
    }

    private void streamWatch(HttpServerRequest http, RecordedRequest request) {
        HttpServerResponse response = http.response().setChunked(true).setStatusCode(200)
                .putHeader("Content-Type", "application/json");
        response.writeHead(); // the client waits for the headers before it counts the watch as open
        Consumer<String> lines = line -> {
            try {
                response.write(line + "\n");
            } catch (IllegalStateException closed) {
                // the client went away between the change and this write; its close handler unsubscribes
            }
        };
        Runnable unsubscribe = dispatcher.watch(request, lines);
        long timer = vertx.setTimer(watchTimeout(request).toMillis(), id -> {
            unsubscribe.run();
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        });
        response.closeHandler(closed -> {
            unsubscribe.run();
            vertx.cancelTimer(timer);
        });
    }

    private static Duration watchTimeout(RecordedRequest request) {
        String seconds = ApiRequest.of(request.getPath()).parameter("timeoutSeconds");
        try {
            return seconds == null ? DEFAULT_WATCH_TIMEOUT : Duration.ofSeconds(Math.max(1, Long.parseLong(seconds)));
        } catch (NumberFormatException e) {
            return DEFAULT_WATCH_TIMEOUT;
        }
    }

    private static void send(HttpServerRequest http, MockResponse response) {
        HttpServerResponse out = http.response().setStatusCode(response.code());
        response.getHeaders().toMultimap().forEach((name, values) -> {
            if (!FRAMING_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                out.headers().add(name, values);
            }
        });
        out.end(Buffer.buffer(KubectlDispatcher.bytes(response)));
    }

    private static RecordedRequest recorded(HttpServerRequest http, Buffer body) {
        return new RecordedRequest(http.version().alpnName().toUpperCase(Locale.ROOT), HttpMethod.fromVertx(http.method()),
                http.uri(), Headers.builder().addAll(http.headers()).build(),
                new io.fabric8.mockwebserver.http.Buffer(body == null ? new byte[0] : body.getBytes()));
    }

    private static boolean isWebSocketUpgrade(HttpServerRequest http) {
        String upgrade = http.getHeader("Upgrade");
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    @Override
    public void close() {
        // Two waits, not compose(): the event loop that would complete a composed vertx.close() is the one it stops.
        await(server.close(), "closing the HTTP server");
        await(vertx.close(), "closing Vert.x");
    }

    private static void await(Future<Void> future, String what) {
        try {
            future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf(e, "%s of the embedded Kubernetes API", what);
        }
    }
}
