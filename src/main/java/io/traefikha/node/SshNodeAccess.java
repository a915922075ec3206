package io.traefikha.node;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/** {@link NodeAccess} over SSH with JSch: public-key authentication, verified host keys, bounded waits. */
public final class SshNodeAccess implements NodeAccess {

    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final Function<NodeEndpoint, Proxy> transport;

    /** Connects by plain TCP to each node's address. */
    public SshNodeAccess(Duration connectTimeout, Duration commandTimeout) {
        this(connectTimeout, commandTimeout, endpoint -> null);
    }

    /**
     * @param transport how to reach a node's sshd; a null result means plain TCP. Tests use it to reach hosts that exist
     *                  only inside network namespaces.
     */
    public SshNodeAccess(Duration connectTimeout, Duration commandTimeout, Function<NodeEndpoint, Proxy> transport) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout);
        this.commandTimeout = Objects.requireNonNull(commandTimeout);
        this.transport = Objects.requireNonNull(transport);
    }

    @Override
    public NodeSession open(NodeEndpoint endpoint, SshKey key, HostKeyPolicy hostKeyPolicy) {
        HostKeyVerifier verifier = new HostKeyVerifier(hostKeyPolicy);
        Session session = null;
        try {
            JSch jsch = new JSch();
            jsch.addIdentity("secret:" + endpoint.user(), key.privateKey(), null, key.passphrase());
            session = jsch.getSession(endpoint.user(), endpoint.host(), endpoint.port());
            session.setHostKeyRepository(verifier);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setProxy(transport.apply(endpoint));
            session.setTimeout(Math.toIntExact(connectTimeout.toMillis()));
            session.connect(Math.toIntExact(connectTimeout.toMillis()));
            return new SshNodeSession(endpoint, session, verifier.presentedFingerprint(), connectTimeout, commandTimeout);
        } catch (JSchException e) {
            if (session != null) {
                session.disconnect();
            }
            if (verifier.rejected()) {
                throw new HostKeyRejectedException(endpoint, verifier.expectation(), verifier.presentedFingerprint());
            }
            // JSch's messages name the failing step (auth fail, timeout, invalid privatekey) and never contain key material.
            throw new NodeAccessException("cannot open SSH session to " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
