package io.traefikha.reconciler;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One GET / to Traefik on the VIP as a client on the LAN sends it, over plain TCP or TLS, within one time budget for
 * connecting, the handshake and the status line. What the answer means (an entry point answering, a name served with a
 * valid certificate) is for {@link HttpVipProber} and {@link HttpsNameChecker}.
 */
final class VipRequest {

    private VipRequest() {
    }

    /**
     * @param tls        the context for an HTTPS request (its trust managers see the chain), or null for plain HTTP
     * @param serverName the SNI and Host header, or null: no SNI, the VIP's address as Host
     * @param deadline   {@link System#nanoTime()} by which the status line must have arrived
     * @return the HTTP status code, or -1 for an answer that is not an HTTP status line
     * @throws SocketTimeoutException past the deadline
     * @throws EOFException           closed before a status line
     */
    static int get(InetSocketAddress vip, SSLContext tls, String serverName, String userAgent, long deadline)
            throws IOException {
        try (Socket plain = new Socket()) {
            // the request is one small write (after the handshake): with Nagle it waits for the delayed ACK (40 ms),
            // which every latency measured here would then carry
            plain.setTcpNoDelay(true);
            plain.connect(vip, millisLeft(deadline));
            plain.setSoTimeout(millisLeft(deadline));
            Socket socket = tls == null ? plain : handshake(plain, vip, tls, serverName, deadline);
            String host = serverName != null ? serverName : vip.getHostString();
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: " + userAgent
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return statusCode(socket.getInputStream());
        }
    }

    private static Socket handshake(Socket plain, InetSocketAddress vip, SSLContext tls, String serverName, long deadline)
            throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, vip.getHostString(), vip.getPort(), true);
        if (serverName != null) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
        }
        socket.startHandshake();
        socket.setSoTimeout(millisLeft(deadline));
        return socket;
    }

    /** The status of "HTTP/1.x NNN ...", -1 for anything else; EOF when the connection closed before a line. */
    private static int statusCode(InputStream in) throws IOException {
        byte[] head = in.readNBytes(12);
        if (head.length == 0) {
            throw new EOFException();
        }
        String line = new String(head, StandardCharsets.US_ASCII);
        if (!line.matches("HTTP/\\d(\\.\\d)? \\d{3}.*")) {
            return -1;
        }
        return Integer.parseInt(line.substring(line.indexOf(' ') + 1, line.indexOf(' ') + 4));
    }

    /** What is left of the budget, at least 1 ms (0 would mean forever); a timeout once it is spent. */
    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
