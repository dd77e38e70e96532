package io.tether.api.io;

import java.util.Map;

/**
 * A message as a message-oriented source receives it: the payload bytes, undecoded, and metadata such as
 * {@code topic}, {@code qos} or {@code messageId}.
 */
public record RawMessage(byte[] payload, Map<String, Object> meta) {

    public RawMessage {
        meta = Map.copyOf(meta);
    }
}
