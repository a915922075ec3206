package io.traefikha.reconciler;

import io.traefikha.step.VipProber;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * GET / over HTTP/1.0 to the VIP, as a client on the LAN would ask Traefik. Any status line counts as served (a 404
 * from Traefik is Traefik serving). Connect and read are bounded by {@link #TIMEOUT_MILLIS}, so a probe every 10 ms
 * stays close to that rhythm while the VIP is down.
 */
public final class HttpVipProber implements VipProber {

    /** Longer than a LAN round trip to Traefik, short enough to keep the gap's resolution near the probe interval. */
    static final int TIMEOUT_MILLIS = 50;

    private final InetSocketAddress vip;
    private final byte[] request;

    public HttpVipProber(String host, int port) {
        this.vip = new InetSocketAddress(host, port);
        this.request = ("GET / HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: traefik-ha-operator drill\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(vip, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(5);
            return "HTTP/".equals(new String(head, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }
}
