package io.traefikha.sync;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import io.traefikha.domain.LsyncdFacts;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * The dedicated key lsyncd on the primary uses to rsync to the secondary. Generated once by the operator (the reconciler
 * keeps it in a Secret it owns); the secondary accepts it only for rsync into the synced paths, see
 * {@link LsyncdInstaller}. {@link #toString()} never shows the private key.
 */
public final class SyncKeyPair {

    public static final String COMMENT = LsyncdFacts.SYNC_KEY_COMMENT;

    private final byte[] privateKey;
    private final String publicKey;

    /** @param privateKey OpenSSH private key file content; @param publicKey "ssh-ed25519 AAAA... comment" */
    public SyncKeyPair(byte[] privateKey, String publicKey) {
        this.privateKey = privateKey.clone();
        this.publicKey = publicKey.strip();
    }

    /** A fresh unencrypted ed25519 key pair (lsyncd runs unattended, so there is no one to type a passphrase). */
    public static SyncKeyPair generate() {
        try {
            KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ED25519);
            ByteArrayOutputStream privateKey = new ByteArrayOutputStream();
            pair.writeOpenSSHv1PrivateKey(privateKey, null);
            String publicKey = "ssh-ed25519 " + Base64.getEncoder().encodeToString(pair.getPublicKeyBlob()) + " " + COMMENT;
            pair.dispose();
            return new SyncKeyPair(privateKey.toByteArray(), publicKey);
        } catch (JSchException e) {
            throw new IllegalStateException("cannot generate an ed25519 key pair: " + e.getMessage(), e);
        }
    }

    /** The pair again from its private key alone, as the reconciler keeps it in its Secret. */
    public static SyncKeyPair fromPrivateKey(byte[] privateKey) {
        try {
            KeyPair pair = KeyPair.load(new JSch(), privateKey, null);
            if (pair.getKeyType() != KeyPair.ED25519 || pair.isEncrypted()) {
                throw new IllegalArgumentException("the sync key is not an unencrypted ed25519 key");
            }
            String publicKey = "ssh-ed25519 " + Base64.getEncoder().encodeToString(pair.getPublicKeyBlob()) + " " + COMMENT;
            pair.dispose();
            return new SyncKeyPair(privateKey, publicKey);
        } catch (JSchException e) {
            // JSch's message never contains key material
            throw new IllegalArgumentException("the sync key cannot be read: " + e.getMessage(), e);
        }
    }

    public byte[] privateKey() {
        return privateKey.clone();
    }

    public String publicKey() {
        return publicKey;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SyncKeyPair pair && Arrays.equals(privateKey, pair.privateKey) && publicKey.equals(pair.publicKey);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "SyncKeyPair[" + publicKey + ", private key redacted]";
    }

}
