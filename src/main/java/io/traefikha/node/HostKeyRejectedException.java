package io.traefikha.node;

/**
 * The node presented a host key that does not match the pinned fingerprint or the known_hosts entry. The connection was
 * dropped during key exchange, before authentication, so no command reached the node.
 */
public class HostKeyRejectedException extends NodeAccessException {

    private final String expected;
    private final String presentedFingerprint;

    public HostKeyRejectedException(NodeEndpoint endpoint, String expected, String presentedFingerprint) {
        super("host key of " + endpoint.host() + ":" + endpoint.port() + " is " + presentedFingerprint + ", expected "
                + expected + "; refusing to connect (a changed key means a rebuilt node or someone in between)");
        this.expected = expected;
        this.presentedFingerprint = presentedFingerprint;
    }

    /** The pinned fingerprint, or a description of the known_hosts verdict */
    public String expected() {
        return expected;
    }

    public String presentedFingerprint() {
        return presentedFingerprint;
    }
}
