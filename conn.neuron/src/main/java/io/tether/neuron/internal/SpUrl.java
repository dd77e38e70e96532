package io.tether.neuron.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * An NNG address: {@code tcp://host:port} or {@code ipc:///path} (as NNG, the path is everything after
 * {@code ipc://}). Other schemes are refused, as eKuiper refuses them.
 */
record SpUrl(String text, boolean ipc, String host, int port, Path path) {
    static final String DEFAULT = "tcp://127.0.0.1:7081";
    static final String SCHEME_PROBLEM = "only tcp and ipc scheme are supported";

    /** @throws IllegalArgumentException with the problem as the message */
    static SpUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("url is required");
        }
        String url = text.strip();
        if (url.startsWith("ipc://")) {
            String path = url.substring("ipc://".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("url " + url + " names no socket path");
            }
            return new SpUrl(url, true, null, 0, Path.of(path));
        }
        if (!url.startsWith("tcp://")) {
            throw new IllegalArgumentException(SCHEME_PROBLEM);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url " + url + " is malformed: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || uri.getUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
            throw new IllegalArgumentException("url " + url + " must be tcp://host:port with a port from 1 to 65535");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new SpUrl(url, false, host, uri.getPort(), null);
    }

    /** A new unconnected channel of the address's kind. */
    SocketChannel openChannel() throws IOException {
        return ipc ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
    }

    /** Resolves a host name: call on the dialling thread. */
    SocketAddress address() {
        return ipc ? UnixDomainSocketAddress.of(path) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return text;
    }
}
