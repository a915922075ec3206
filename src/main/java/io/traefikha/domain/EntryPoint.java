package io.traefikha.domain;

/**
 * One of Traefik's entry points as a client reaches it on the VIP.
 *
 * @param name       http or https, as status.vip.entryPoints names it
 * @param port       the TCP port on the VIP
 * @param tls        whether the request goes over TLS
 * @param serverName the SNI (and Host) sent over TLS, a name moved to the VIP; null for plain HTTP or when none is known
 */
public record EntryPoint(String name, int port, boolean tls, String serverName) {

    public static EntryPoint http(int port) {
        return new EntryPoint("http", port, false, null);
    }

    public static EntryPoint https(int port, String serverName) {
        return new EntryPoint("https", port, true, serverName);
    }

    /** "http (port 80)", for messages. */
    public String label() {
        return name + " (port " + port + ")";
    }
}
