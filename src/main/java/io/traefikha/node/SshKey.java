package io.traefikha.node;

import java.util.Arrays;
import java.util.Objects;

/**
 * A private key (OpenSSH or PEM; ed25519 or RSA) and its optional passphrase, as read from the Secret. The bytes are
 * never printed: {@link #toString()} is redacted so a log line cannot leak them.
 */
public final class SshKey {

    private final byte[] privateKey;
    private final byte[] passphrase;

    public SshKey(byte[] privateKey, byte[] passphrase) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey").clone();
        this.passphrase = passphrase == null || passphrase.length == 0 ? null : passphrase.clone();
    }

    byte[] privateKey() {
        return privateKey.clone();
    }

    /** null when the key is not encrypted */
    byte[] passphrase() {
        return passphrase == null ? null : passphrase.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SshKey key && Arrays.equals(privateKey, key.privateKey) && Arrays.equals(passphrase, key.passphrase);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(privateKey);
    }

    @Override
    public String toString() {
        return "SshKey[redacted]";
    }
}
