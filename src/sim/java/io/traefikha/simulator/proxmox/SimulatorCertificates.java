package io.traefikha.simulator.proxmox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A Proxmox-like certificate pair made at start: a cluster CA ({@code pve-root-ca.pem}) and a node certificate
 * ({@code pve-ssl.pem}) it signed, valid for localhost and 127.0.0.1. Built with a few lines of DER because the
 * JDK has no public certificate builder and the operator should not ship a crypto library for a simulator.
 */
public final class SimulatorCertificates {

    private static final String EC_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private final X509Certificate ca;
    private final X509Certificate node;
    private final PrivateKey nodeKey;

    private SimulatorCertificates(X509Certificate ca, X509Certificate node, PrivateKey nodeKey) {
        this.ca = ca;
        this.node = node;
        this.nodeKey = nodeKey;
    }

    /** A fresh CA and node certificate for {@code nodeName} (also valid for localhost and 127.0.0.1). */
    public static SimulatorCertificates generate(String nodeName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair caKeys = generator.generateKeyPair();
            KeyPair nodeKeys = generator.generateKeyPair();
            byte[] caName = name("Proxmox Virtual Environment", "PVE Cluster Manager CA");
            byte[] caExtensions = extension(BASIC_CONSTRAINTS, true, seq(new byte[] {0x01, 0x01, (byte) 0xFF}));
            X509Certificate ca = sign(caName, caName, caKeys.getPublic().getEncoded(), caExtensions, caKeys.getPrivate());
            byte[] altNames = seq(tlv(0x82, nodeName.getBytes(StandardCharsets.US_ASCII)),
                    tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)), tlv(0x87, new byte[] {127, 0, 0, 1}));
            byte[] nodeExtensions = concat(extension(BASIC_CONSTRAINTS, true, seq()), extension(SUBJECT_ALT_NAME, false, altNames));
            X509Certificate node = sign(caName, name(nodeName + ".lan", "PVE Cluster Node"), nodeKeys.getPublic().getEncoded(),
                    nodeExtensions, caKeys.getPrivate());
            return new SimulatorCertificates(ca, node, nodeKeys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate simulator certificates", e);
        }
    }

    /** PEM of the CA, what a user would put in a caSecretRef (pve-root-ca.pem). */
    public String caPem() {
        return pem(ca);
    }

    /** PEM of the node certificate the server presents (pve-ssl.pem). */
    public String certificatePem() {
        return pem(node);
    }

    /** SHA-256 fingerprint of the node certificate as the Proxmox GUI shows it: upper-case hex pairs joined by ':'. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(node.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node key and chain as an in-memory PKCS#12 store, for the HTTPS server. */
    public byte[] pkcs12(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("pve-ssl", nodeKey, password, new Certificate[] {node, ca});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the simulator key store", e);
        }
    }

    private static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(byte[] issuer, byte[] subject, byte[] publicKeyInfo, byte[] extensions,
            PrivateKey issuerKey) throws GeneralSecurityException {
        byte[] algorithm = seq(oid(EC_WITH_SHA256));
        Instant now = Instant.now();
        byte[] validity = seq(utcTime(now.minus(Duration.ofDays(1))), utcTime(now.plus(Duration.ofDays(3650))));
        byte[] tbs = seq(tlv(0xA0, integer(BigInteger.TWO)), integer(new BigInteger(63, new SecureRandom())), algorithm,
                issuer, validity, subject, publicKeyInfo, tlv(0xA3, seq(extensions)));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(issuerKey);
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] certificate = seq(tbs, algorithm, tlv(0x03, concat(new byte[] {0}, signature)));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate));
    }

    private static byte[] name(String commonName, String organization) {
        return seq(rdn(ORGANIZATION, organization), rdn(COMMON_NAME, commonName));
    }

    private static byte[] rdn(String type, String value) {
        return tlv(0x31, seq(oid(type), tlv(0x0C, value.getBytes(StandardCharsets.UTF_8))));
    }

    private static byte[] extension(String id, boolean critical, byte[] value) {
        return critical ? seq(oid(id), new byte[] {0x01, 0x01, (byte) 0xFF}, tlv(0x04, value)) : seq(oid(id), tlv(0x04, value));
    }

    private static byte[] utcTime(Instant instant) {
        return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
            for (int g = groups - 1; g >= 0; g--) {
                out.write((int) ((arc >> (7 * g)) & 0x7F) | (g > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] bytes = BigInteger.valueOf(length).toByteArray();
            int skip = bytes[0] == 0 ? 1 : 0;
            out.write(0x80 | (bytes.length - skip));
            out.write(bytes, skip, bytes.length - skip);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
