package io.traefikha.http;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate, identified by its SHA-256 fingerprint (Proxmox's self-signed node
 * certificate, pinned as the GUI shows it). The pin identifies the certificate itself, so the hostname is not
 * checked; an extended trust manager keeps JSSE from adding its own hostname check on top. With a null pin it
 * trusts everything (the explicit insecure opt-in).
 */
public final class FingerprintTrustManager extends X509ExtendedTrustManager {

    private final String expected;

    FingerprintTrustManager(String expectedFingerprint) {
        this.expected = expectedFingerprint;
    }

    public static FingerprintTrustManager pinned(String fingerprint) {
        return new FingerprintTrustManager(fingerprint);
    }

    static FingerprintTrustManager trustAll() {
        return new FingerprintTrustManager(null);
    }

    static String fingerprintOf(X509Certificate certificate) throws CertificateException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new CertificateException(e);
        }
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (expected == null) {
            return;
        }
        if (chain == null || chain.length == 0) {
            throw new CertificateException("server sent no certificate");
        }
        String actual = fingerprintOf(chain[0]);
        if (!actual.equals(expected)) {
            throw new CertificateException("server certificate fingerprint " + actual + " does not match the pinned " + expected);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a server trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("not a server trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("not a server trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
