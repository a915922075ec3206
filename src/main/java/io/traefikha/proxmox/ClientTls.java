package io.traefikha.proxmox;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** The socket factory and hostname verifier a {@link TlsTrust} stands for. */
record ClientTls(SSLSocketFactory socketFactory, HostnameVerifier hostnameVerifier) {

    static ClientTls of(TlsTrust trust) {
        // the pin names the certificate itself, so the name in it does not matter; insecure checks nothing
        boolean checkName = trust instanceof TlsTrust.CaPem || trust instanceof TlsTrust.SystemDefault;
        return new ClientTls(sslContext(trust).getSocketFactory(),
                checkName ? HttpsURLConnection.getDefaultHostnameVerifier() : (host, session) -> true);
    }

    /**
     * The SSL context for {@code trust}. With a pin or insecure, its trust manager is an extended one that checks no
     * name, so clients that verify names through the context (java.net.http) do not add a check of their own.
     */
    static SSLContext sslContext(TlsTrust trust) {
        try {
            if (trust instanceof TlsTrust.CaPem ca) {
                return context(caTrustManagers(ca.pem()));
            }
            if (trust instanceof TlsTrust.Fingerprint pin) {
                return context(new TrustManager[] {FingerprintTrustManager.pinned(pin.sha256())});
            }
            if (trust instanceof TlsTrust.Insecure) {
                return context(new TrustManager[] {FingerprintTrustManager.trustAll()});
            }
            return SSLContext.getDefault();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(TrustManager[] trustManagers) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers, null);
        return context;
    }

    private static TrustManager[] caTrustManagers(String pem) throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int index = 0;
        for (Certificate certificate : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            store.setCertificateEntry("ca-" + index++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }
}
