package io.traefikha.testbed;

import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.SocketFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Carries an SSH connection from the JVM (in the machine's own network namespace) to a bed host: socat runs inside the
 * client namespace and relays stdin/stdout to the host's sshd, so no address or route is added outside the bed.
 */
final class NamespaceTransport implements Proxy {

    private final String namespace;
    private Process relay;

    NamespaceTransport(String namespace) {
        this.namespace = namespace;
    }

    @Override
    public void connect(SocketFactory socketFactory, String host, int port, int timeoutMillis) throws Exception {
        int seconds = Math.max(1, timeoutMillis / 1000);
        relay = new ProcessBuilder("nsenter", "--net=/run/netns/" + namespace, "socat", "STDIO",
                "TCP:" + host + ":" + port + ",connect-timeout=" + seconds)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Override
    public InputStream getInputStream() {
        return relay.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() {
        return relay.getOutputStream();
    }

    /** No socket on this side; JSch then relies on its own timeouts. */
    @Override
    public Socket getSocket() {
        return null;
    }

    @Override
    public void close() {
        if (relay != null) {
            relay.destroy();
        }
    }
}
