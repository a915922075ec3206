package io.traefikha.http;

import io.quarkus.tls.BaseTlsConfiguration;
import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS settings a {@link TlsTrust} stands for, in the form the REST client takes them: a trust manager and whether
 * the host name is verified. (The REST client refuses an {@code SSLContext} or a {@code HostnameVerifier}; a
 * {@link TlsConfiguration} is its way to take a trust manager of our own, which fingerprint pinning needs.)
 */
final class ClientTls extends BaseTlsConfiguration {

    private final TrustOptions trustOptions;
    private final boolean verifyHost;

    private ClientTls(TrustOptions trustOptions, boolean verifyHost) {
        this.trustOptions = trustOptions;
        this.verifyHost = verifyHost;
    }

    /** Empty for the system default: the JVM's CAs and host name verification are the REST client's own defaults. */
    static Optional<TlsConfiguration> of(TlsTrust trust) {
        if (trust instanceof TlsTrust.CaPem ca) {
            return Optional.of(new ClientTls(TrustOptions.wrap(caTrustManagers(ca.pem())), true));
        }
        if (trust instanceof TlsTrust.Fingerprint pin) {
            // the pin names the certificate itself, so the name in it does not matter
            return Optional.of(new ClientTls(TrustOptions.wrap(FingerprintTrustManager.pinned(pin.sha256())), false));
        }
        if (trust instanceof TlsTrust.Insecure) {
            return Optional.of(new ClientTls(TrustOptions.wrap(FingerprintTrustManager.trustAll()), false));
        }
        return Optional.empty();
    }

    @Override
    public TrustOptions getTrustStoreOptions() {
        return trustOptions;
    }

    /** "NONE" turns host name verification off; empty keeps it on. */
    @Override
    public Optional<String> getHostnameVerificationAlgorithm() {
        return verifyHost ? Optional.empty() : Optional.of("NONE");
    }

    private static TrustManagerFactory caTrustManagers(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }
}
