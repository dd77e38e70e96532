package io.tether.api.dataserver;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/** One client connected to a WebSocket endpoint of the {@link DataServer}. */
@ProviderType
public interface WebSocketPeer {

    /** Unique among the server's connections while it runs. */
    String id();

    /** The client's address and port, e.g. {@code 127.0.0.1:53412}. */
    String remoteAddress();

    /**
     * Sends a text message. Sends to one peer are written in call order.
     *
     * @return completes once written, or exceptionally when the connection is closed or the write failed
     */
    CompletionStage<Void> sendText(String text);

    /** Closes the connection with {@code code} (1000 for a normal close) and {@code reason}. Idempotent. */
    void close(int code, String reason);

    /** Whether the connection is still open. */
    boolean isOpen();
}
