package io.traefikha.node;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * JSch asks this repository whether the host key presented during key exchange is acceptable; it remembers what it saw
 * so that a refusal can be reported with both fingerprints. JSch never adds keys here (StrictHostKeyChecking=yes).
 */
final class HostKeyVerifier implements HostKeyRepository {

    private final HostKeyPolicy policy;
    private final HostKeyRepository knownHosts;
    private String presentedFingerprint;
    private boolean rejected;

    HostKeyVerifier(HostKeyPolicy policy) {
        this.policy = policy;
        this.knownHosts = policy instanceof HostKeyPolicy.KnownHosts known ? parse(known.knownHostsText()) : null;
    }

    private static HostKeyRepository parse(String knownHostsText) {
        try {
            JSch parser = new JSch();
            parser.setKnownHosts(new ByteArrayInputStream(knownHostsText.getBytes(StandardCharsets.UTF_8)));
            return parser.getHostKeyRepository();
        } catch (JSchException e) {
            throw new IllegalArgumentException("knownHosts is not in known_hosts format: " + e.getMessage(), e);
        }
    }

    /** "SHA256:" and the unpadded base64 of the key blob's SHA-256, exactly as ssh-keygen -lf prints it. */
    static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public int check(String host, byte[] key) {
        presentedFingerprint = fingerprint(key);
        int verdict;
        if (knownHosts != null) {
            verdict = knownHosts.check(host, key);
        } else if (policy instanceof HostKeyPolicy.AnyOf any) {
            verdict = any.fingerprints().contains(presentedFingerprint) ? OK : CHANGED;
        } else {
            String pinned = ((HostKeyPolicy.TrustOnFirstUse) policy).pinnedFingerprint();
            verdict = pinned == null || pinned.equals(presentedFingerprint) ? OK : CHANGED;
        }
        rejected = verdict != OK;
        return verdict;
    }

    String presentedFingerprint() {
        return presentedFingerprint;
    }

    boolean rejected() {
        return rejected;
    }

    /** What was expected, for the refusal message. */
    String expectation() {
        if (knownHosts != null) {
            return "a key listed in knownHosts";
        }
        if (policy instanceof HostKeyPolicy.AnyOf any) {
            return "one of " + String.join(", ", new java.util.TreeSet<>(any.fingerprints()));
        }
        return ((HostKeyPolicy.TrustOnFirstUse) policy).pinnedFingerprint();
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // Keys are pinned by the caller (from hostKeyFingerprint()), never by JSch.
    }

    @Override
    public void remove(String host, String type) {
    }

    @Override
    public void remove(String host, String type, byte[] key) {
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return "traefik-ha-operator";
    }

    @Override
    public HostKey[] getHostKey() {
        return knownHosts == null ? new HostKey[0] : knownHosts.getHostKey();
    }

    /** Lets JSch prefer the key type known_hosts lists for this host. */
    @Override
    public HostKey[] getHostKey(String host, String type) {
        return knownHosts == null ? new HostKey[0] : knownHosts.getHostKey(host, type);
    }
}
