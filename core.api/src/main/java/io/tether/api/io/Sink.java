package io.tether.api.io;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/** A running sink, owned by one rule. */
@ConsumerType
public interface Sink {

    void open(SinkContext context) throws Exception;

    /**
     * Sends one emission of the rule. Bounded in time: a sink whose connection is down fails the emission
     * instead of blocking.
     */
    void collect(List<Map<String, Object>> records) throws Exception;

    void close();
}
