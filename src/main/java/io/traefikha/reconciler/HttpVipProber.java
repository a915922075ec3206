package io.traefikha.reconciler;

import io.traefikha.domain.EntryPoint;
import io.traefikha.domain.VipAnswer;
import io.traefikha.step.EntryPointProber;
import io.traefikha.step.VipProber;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * GET / to Traefik on the VIP, as a client on the LAN would ask it. Any status line counts as answered (a 404 from
 * Traefik is Traefik serving). Connecting and reading the status line share one bounded timeout: a drill's prober
 * uses {@link #DRILL_TIMEOUT}, so a probe every 10 ms stays close to that rhythm while the VIP is down; the period's
 * check {@link #PERIOD_TIMEOUT}, so a hung entry point delays a reconcile by that much at most.
 *
 * <p>Over TLS the certificate is read, not trusted: this check asks whether the entry point answers; whether clients
 * trust what it presents is the per-name check's business.
 */
public final class HttpVipProber implements VipProber, EntryPointProber {

    /** Longer than a LAN round trip to Traefik, short enough to keep the gap's resolution near the probe interval. */
    static final Duration DRILL_TIMEOUT = Duration.ofMillis(50);
    /** Far beyond a healthy answer on the LAN (about a millisecond), short enough not to stall a reconcile. */
    public static final Duration PERIOD_TIMEOUT = Duration.ofSeconds(2);

    private final String host;
    private final int drillPort;
    private final int timeoutMillis;

    /** A drill's prober: {@link #answers()} asks port {@code drillPort}. */
    public HttpVipProber(String host, int drillPort) {
        this(host, drillPort, DRILL_TIMEOUT);
    }

    /**
     * @param drillPort the port {@link #answers()} asks ({@link #request} names its own)
     * @param timeout   the one budget of a request: connecting, TLS and the status line
     */
    public HttpVipProber(String host, int drillPort, Duration timeout) {
        this.host = host;
        this.drillPort = drillPort;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    @Override
    public boolean answers() {
        return request(EntryPoint.http(drillPort)).answered();
    }

    @Override
    public VipAnswer request(EntryPoint entryPoint) {
        long start = System.nanoTime();
        try (Socket socket = entryPoint.tls() ? tlsSocket(entryPoint) : new Socket()) {
            // after the TLS handshake the request is one small write: with Nagle it waits for the delayed ACK (40 ms),
            // which the latency in status would then carry (as HttpsNameChecker found)
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, entryPoint.port()), timeoutMillis);
            socket.setSoTimeout(remaining(start));
            if (socket instanceof SSLSocket tls) {
                tls.startHandshake();
                socket.setSoTimeout(remaining(start));
            }
            String hostHeader = entryPoint.serverName() != null ? entryPoint.serverName() : host;
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: close\r\n"
                    + "User-Agent: traefik-ha-operator\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            int status = statusCode(socket.getInputStream());
            return status < 0 ? VipAnswer.failed("answered without an HTTP status line", millisSince(start))
                    : VipAnswer.answered(status, millisSince(start));
        } catch (SocketTimeoutException e) {
            return VipAnswer.failed("no answer within " + timeoutMillis + " ms", millisSince(start));
        } catch (ConnectException e) {
            return VipAnswer.failed("connection refused", millisSince(start));
        } catch (NoRouteToHostException e) {
            return VipAnswer.failed("no route to host", millisSince(start));
        } catch (EOFException e) {
            return VipAnswer.failed("closed the connection without an HTTP answer", millisSince(start));
        } catch (SSLException e) {
            return VipAnswer.failed("TLS failed: " + e.getMessage(), millisSince(start));
        } catch (IOException e) {
            return VipAnswer.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), millisSince(start));
        }
    }

    /** The timeout left of the one budget, at least 1 ms (0 would mean forever). */
    private int remaining(long start) {
        return (int) Math.max(1, timeoutMillis - millisSince(start));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The status of "HTTP/1.x NNN ...", -1 for anything else; EOF when the connection closed before a line. */
    private static int statusCode(InputStream in) throws IOException {
        byte[] head = in.readNBytes(12);
        if (head.length == 0) {
            throw new EOFException();
        }
        String line = new String(head, StandardCharsets.US_ASCII);
        if (!line.matches("HTTP/\\d(\\.\\d)? \\d{3}.*")) {
            return -1;
        }
        return Integer.parseInt(line.substring(line.indexOf(' ') + 1, line.indexOf(' ') + 4));
    }

    /** A TLS socket that sends the entry point's server name and accepts whatever certificate comes. */
    private static Socket tlsSocket(EntryPoint entryPoint) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {READ_NOT_TRUSTED}, null);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
            if (entryPoint.serverName() != null) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(entryPoint.serverName())));
                socket.setSSLParameters(parameters);
            }
            return socket;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no TLS", e);
        }
    }

    private static final X509TrustManager READ_NOT_TRUSTED = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
