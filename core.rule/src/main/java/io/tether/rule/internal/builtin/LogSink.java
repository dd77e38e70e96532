package io.tether.rule.internal.builtin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;

/** The built-in {@code log} sink: writes each emission, encoded as the action says, to the log. */
final class LogSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(LogSink.class);

    private SinkContext context;

    @Override
    public void open(SinkContext sinkContext) {
        this.context = sinkContext;
    }

    @Override
    public void collect(List<Map<String, Object>> records) {
        for (byte[] payload : context.encoder().encode(records)) {
            LOG.info("rule {} {}: {}", context.ruleId(), context.operatorId(),
                    new String(payload, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        // nothing held
    }
}
