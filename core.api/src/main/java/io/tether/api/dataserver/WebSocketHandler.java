package io.tether.api.dataserver;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of the WebSocket connections of one endpoint of the {@link DataServer}. Calls for one peer come in order, on
 * the server's threads; they must not block (hand long work to a thread of your own).
 */
@ConsumerType
public interface WebSocketHandler {

    /** A client connected; it may be sent to from now on. */
    void onOpen(WebSocketPeer peer);

    /**
     * A whole text message from {@code peer}. The server reads the peer's next message only once the returned stage
     * completes (normally or exceptionally, which is the same to the server): a handler holds a fast client back by
     * completing it once the message is taken, and the TCP window then stops the client.
     *
     * @return completes once the next message may be read; {@code null} when it may be read at once
     */
    CompletionStage<?> onText(WebSocketPeer peer, String text);

    /**
     * The connection ended: closed by either side (with its close code and reason), or lost (code 1006). Called once
     * per peer, also when the endpoint's registration is closed.
     */
    void onClose(WebSocketPeer peer, int code, String reason);
}
