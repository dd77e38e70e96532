package io.tether.api.io;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** Turns one emission of a rule into the payloads a byte-oriented sink sends. */
@ProviderType
public interface Encoder {

    /** One payload per message to send: one JSON array for the emission, or one object per record. */
    List<byte[]> encode(List<Map<String, Object>> records);
}
