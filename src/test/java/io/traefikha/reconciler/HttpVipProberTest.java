package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The drill's probe against a loopback server: an HTTP status line is an answer, anything else is not. */
class HttpVipProberTest {

    @Test
    void anyHttpStatusIsAnAnswer() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = answerOnce(server, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            assertThat(new HttpVipProber("127.0.0.1", server.getLocalPort()).answers()).isTrue();
            join(serving);
        }
    }

    @Test
    void aSilentServerOrAClosedPortIsNoAnswer() throws IOException {
        int closedPort;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = server.getLocalPort();
            Thread serving = answerOnce(server, "");
            assertThat(new HttpVipProber("127.0.0.1", server.getLocalPort()).answers()).as("no status line").isFalse();
            join(serving);
        }
        assertThat(new HttpVipProber("127.0.0.1", closedPort).answers()).as("connection refused").isFalse();
    }

    private static Thread answerOnce(ServerSocket server, String response) {
        Thread thread = new Thread(() -> {
            try (Socket client = server.accept()) {
                InputStream in = client.getInputStream();
                in.readNBytes(4); // the request has begun
                OutputStream out = client.getOutputStream();
                out.write(response.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (response.isEmpty()) {
                    Thread.sleep(200); // silent past the probe's timeout
                }
            } catch (IOException | InterruptedException e) {
                // the probe gave up first
            }
        });
        thread.start();
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
