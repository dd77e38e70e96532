package io.tether.websocket.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What a websocket sink sends through: a client connection, or a server endpoint and its clients. */
interface WebSocketLink {

    /**
     * Sends each payload (UTF-8 JSON) as one text frame, in order and after the sends before it.
     *
     * @return completes once every frame is written; fails with an {@link java.io.IOException} (retryable) when
     *         the link is not open
     */
    CompletableFuture<Void> send(List<byte[]> payloads);
}
