package io.traefikha.reconciler;

import io.traefikha.domain.EntryPoint;
import io.traefikha.domain.VipAnswer;
import io.traefikha.step.EntryPointProber;
import io.traefikha.step.VipProber;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
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
        try {
            int status = VipRequest.get(new InetSocketAddress(host, entryPoint.port()),
                    entryPoint.tls() ? READ_NOT_TRUSTED_CONTEXT : null, entryPoint.serverName(), "traefik-ha-operator",
                    start + timeoutMillis * 1_000_000L);
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

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
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

    /** One context for every probe: making one costs more than a handshake on the LAN. */
    private static final SSLContext READ_NOT_TRUSTED_CONTEXT = readNotTrustedContext();

    /** A new context that reads any certificate, trusting none. */
    static SSLContext readNotTrustedContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {READ_NOT_TRUSTED}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no TLS", e);
        }
    }
}
