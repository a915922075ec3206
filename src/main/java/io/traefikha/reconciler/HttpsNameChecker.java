package io.traefikha.reconciler;

import io.traefikha.gateway.NameChecker;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * HTTPS to Traefik on the VIP as a client of one name asks it: SNI and Host header of the name, GET / over HTTP/1.1,
 * and any status line counts as served. The handshake accepts whatever certificate comes (so an expired or wrong one
 * is still seen and reported rather than only failing); the certificate is then judged as a client would: valid now,
 * covering the name (subjectAltName DNS entries, one wildcard label), and chaining to the trusted CAs.
 */
public final class HttpsNameChecker implements NameChecker {

    private final InetSocketAddress vip;
    private final X509TrustManager trust;
    private final Clock clock;
    /** What each handshake presented, kept by the thread that made it (the check's: SSLSocket calls back on it). */
    private final Presented presented = new Presented();
    /** One context for every check: making one costs more than a handshake on the LAN. */
    private final SSLContext context;

    /** @param trust the CAs a client trusts; {@link #systemTrust()} in production */
    public HttpsNameChecker(String host, int port, X509TrustManager trust, Clock clock) {
        this.vip = new InetSocketAddress(host, port);
        this.trust = trust;
        this.clock = clock;
        try {
            this.context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {presented}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /** The JVM's trusted CAs (its cacerts, as the operator's image has them). */
    public static X509TrustManager systemTrust() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JVM has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JVM's trusted CAs", e);
        }
    }

    @Override
    public Answer check(String name, Duration timeout) {
        presented.forget();
        forgetSessions();
        try {
            boolean served = VipRequest.get(vip, context, name, "traefik-ha-operator name check",
                    System.nanoTime() + timeout.toNanos()) >= 0;
            return presented.answer(served, served ? null : "no HTTP answer", name, clock.instant(), trust);
        } catch (SocketTimeoutException e) {
            return presented.answer(false, "no answer within " + timeout.toMillis() + " ms", name, clock.instant(), trust);
        } catch (SSLException e) {
            return presented.answer(false, "TLS handshake failed: " + e.getMessage(), name, clock.instant(), trust);
        } catch (EOFException e) {
            return presented.answer(false, "no HTTP answer", name, clock.instant(), trust);
        } catch (IOException e) {
            return presented.answer(false, "cannot connect to " + vip.getHostString() + ":" + vip.getPort() + ": "
                    + e.getMessage(), name, clock.instant(), trust);
        }
    }

    /**
     * A resumed TLS session presents no certificate (the trust manager is not called), so every check makes a full
     * handshake: otherwise only the first check of a name would see its certificate, and a certificate changed on Traefik
     * would go unseen while the session lasts.
     */
    private void forgetSessions() {
        SSLSessionContext sessions = context.getClientSessionContext();
        for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
            SSLSession session = sessions.getSession(ids.nextElement());
            if (session != null) {
                session.invalidate();
            }
        }
    }

    /**
     * Why a client of {@code name} would refuse this chain at {@code now}; null when it would accept it.
     *
     * @param authType as the handshake named it, for the trust manager's key usage checks
     */
    static String certificateProblem(X509Certificate[] chain, String authType, String name, Instant now,
            X509TrustManager trust) {
        X509Certificate leaf = chain[0];
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            return "expired " + leaf.getNotAfter().toInstant();
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            return "not valid before " + leaf.getNotBefore().toInstant();
        }
        List<String> names = dnsNames(leaf);
        if (names.stream().noneMatch(pattern -> covers(pattern, name))) {
            return "does not cover " + name + " (it names " + (names.isEmpty() ? "no DNS name" : String.join(", ", names))
                    + ")";
        }
        try {
            trust.checkServerTrusted(chain, authType);
            return null;
        } catch (CertificateException e) {
            return "does not chain to a trusted CA: " + e.getMessage();
        }
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            for (List<?> entry : alternatives == null ? List.<List<?>>of() : alternatives) {
                if (Integer.valueOf(2).equals(entry.get(0))) {
                    names.add(String.valueOf(entry.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable extension names nothing: the certificate covers no name
        }
        return names;
    }

    /** RFC 6125: exact (case-insensitive), or a wildcard standing for exactly the left-most label. */
    static boolean covers(String pattern, String name) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String n = name.toLowerCase(Locale.ROOT);
        if (!p.startsWith("*.")) {
            return p.equals(n);
        }
        int dot = n.indexOf('.');
        return dot > 0 && n.substring(dot).equals(p.substring(1));
    }

    /** A chain as a handshake presented it, with the key exchange it was presented for. */
    private record Chain(X509Certificate[] certificates, String authType) {
    }

    /**
     * Accepts any chain during the handshake and keeps it for the thread that made the handshake, so that it is judged
     * afterwards and reported either way.
     */
    private static final class Presented extends X509ExtendedTrustManager {
        private final ThreadLocal<Chain> last = new ThreadLocal<>();

        void forget() {
            last.remove();
        }

        Answer answer(boolean served, String error, String name, Instant now, X509TrustManager trust) {
            Chain chain = last.get();
            last.remove();
            if (chain == null || chain.certificates().length == 0) {
                return new Answer(served, error, null, null, null);
            }
            X509Certificate leaf = chain.certificates()[0];
            return new Answer(served, error, leaf.getIssuerX500Principal().getName(), leaf.getNotAfter().toInstant(),
                    certificateProblem(chain.certificates(), chain.authType(), name, now, trust));
        }

        private void keep(X509Certificate[] presented, String type) {
            last.set(new Chain(presented, type));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String type, Socket socket) {
            keep(presented, type);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String type, SSLEngine engine) {
            keep(presented, type);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String type) {
            keep(presented, type);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String type, Socket socket) throws CertificateException {
            throw new CertificateException("a client, not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String type, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client, not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String type) throws CertificateException {
            throw new CertificateException("a client, not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
