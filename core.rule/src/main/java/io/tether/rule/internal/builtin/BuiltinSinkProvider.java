package io.tether.rule.internal.builtin;

import java.util.List;
import java.util.Map;

import io.tether.api.connection.PropError;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkContext;
import io.tether.api.io.SinkProvider;

/** The built-in sinks, which take no props: {@code log} and {@code nop} (discards everything). */
public enum BuiltinSinkProvider implements SinkProvider {
    LOG("log") {
        @Override
        public Sink create(Map<String, Object> props) {
            return new LogSink();
        }
    },
    NOP("nop") {
        @Override
        public Sink create(Map<String, Object> props) {
            return new NopSink();
        }
    };

    private final String type;

    BuiltinSinkProvider(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return List.of();
    }

    private static final class NopSink implements Sink {
        @Override
        public void open(SinkContext context) {
            // nothing to open
        }

        @Override
        public void collect(List<Map<String, Object>> records) {
            // discards by design
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
