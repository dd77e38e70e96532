package com.example.tcpline.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.example.tcpline.internal.TcpLineConnectorFactory.Peer;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.kit.ConnectionListeners;
import io.tether.api.kit.LineLink;

/**
 * One client socket: {@code HELLO [password]}, answered {@code OK}; then each line the server sends goes to the
 * sources listening on the connection id, and each payload a sink sends is a line. Stateful: the link reports a lost
 * link, and the pool dials again.
 */
final class TcpLineConnection implements Connection {
    private final Peer peer;
    private final ConnectionListeners.Feed<String> feed;
    private final LineLink link;

    TcpLineConnection(Peer peer, ConnectionContext context, ConnectionListeners.Feed<String> feed) {
        this.peer = peer;
        this.feed = feed;
        this.link = new LineLink("tcpline connection " + context.connectionId() + " to " + peer, context,
                feed::deliver);
    }

    @Override
    public void dial() throws ConnectionException {
        link.connect(peer.host(), peer.port(), lines -> {
            lines.write(peer.password() == null ? "HELLO" : "HELLO " + peer.password());
            String answer = lines.read();
            if (!"OK".equals(answer)) {
                throw answer == null ? ConnectionException.io(link + ": the server closed the link", null)
                        : ConnectionException.permanent(link + ": the server refused the HELLO: " + answer, null);
            }
            feed.claim();
        });
    }

    /** Nothing to check: the link reports a lost link. */
    @Override
    public void ping() {
    }

    @Override
    public boolean isStateful() {
        return true;
    }

    /** Sends each payload as a line, in order; fails with an IOException (retryable). */
    CompletableFuture<Void> send(List<byte[]> lines) {
        return link.send(lines);
    }

    @Override
    public void close() {
        link.close();
        feed.close();
    }

    @Override
    public String toString() {
        return link.toString();
    }
}
