package io.traefikha.node;

import java.time.Duration;

/**
 * One connection to one node, used for a whole reconcile and closed at its end. Everything the operator does inside a
 * container goes through here, so the reconciler can be tested against an in-memory implementation.
 */
public interface NodeSession extends AutoCloseable {

    NodeEndpoint endpoint();

    /** Fingerprint of the host key this connection verified ("SHA256:..."), to be pinned on first use. */
    String hostKeyFingerprint();

    /** Runs a shell command with the session's command timeout. */
    CommandResult run(String command);

    /** Runs a shell command, feeding stdin to it, giving up after timeout. */
    CommandResult run(String command, byte[] stdin, Duration timeout);

    /**
     * Writes the file atomically (temporary file, then rename) with its mode and owner, unless the node already has
     * exactly that content, mode and owner.
     *
     * @return true when the file was written, false when it was already up to date
     */
    boolean upload(RemoteFile file);

    /** Installs a Debian package when dpkg does not have it. */
    PackageResult ensurePackage(String debianPackage);

    /** Everything the reconciler needs to know about the node, in one round trip. */
    NodeProbeReport probe(ProbeRequest request);

    /** Closes the connection; never throws. */
    @Override
    void close();
}
