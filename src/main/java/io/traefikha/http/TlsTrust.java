package io.traefikha.http;

import java.util.HexFormat;
import java.util.Locale;

/**
 * How a server's certificate is verified (Proxmox's, AdGuard Home's). Verified by default; skipping verification is an
 * explicit choice.
 */
public sealed interface TlsTrust {

    /** The JVM's trusted CAs and hostname verification (a Proxmox with a public certificate). */
    static TlsTrust systemDefault() {
        return new SystemDefault();
    }

    /** Trust the PEM CA(s) that signed the Proxmox certificate (e.g. /etc/pve/pve-root-ca.pem); hostname verified. */
    static TlsTrust caPem(String pem) {
        return new CaPem(pem);
    }

    /** Trust exactly the certificate with this SHA-256 fingerprint, written as the Proxmox GUI shows it (AA:BB:...). */
    static TlsTrust fingerprint(String sha256) {
        return new Fingerprint(sha256);
    }

    /** No verification at all; only for a lab the user fully trusts. */
    static TlsTrust insecure() {
        return new Insecure();
    }

    record SystemDefault() implements TlsTrust {
    }

    record CaPem(String pem) implements TlsTrust {
        public CaPem {
            if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
                throw new IllegalArgumentException("CA must be PEM text with at least one certificate");
            }
        }
    }

    /** Stored normalised: upper-case hex pairs joined by ':'; accepts lower case and no separators too. */
    record Fingerprint(String sha256) implements TlsTrust {
        public Fingerprint {
            String hex = sha256 == null ? "" : sha256.replace(":", "").toUpperCase(Locale.ROOT);
            if (!hex.matches("[0-9A-F]{64}")) {
                throw new IllegalArgumentException("SHA-256 fingerprint must be 32 hex bytes, e.g. AB:CD:..., got '" + sha256 + "'");
            }
            sha256 = HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
        }
    }

    record Insecure() implements TlsTrust {
    }
}
