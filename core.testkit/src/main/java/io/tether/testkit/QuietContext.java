package io.tether.testkit;

import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.StatusSink;

/**
 * A context for a connection instance created outside a pool (a test that drives {@code dial} and {@code close}
 * itself): it has an id, and ignores every status report.
 */
public record QuietContext(String connectionId) implements ConnectionContext, StatusSink {

    @Override
    public StatusSink statusSink() {
        return this;
    }

    @Override
    public void connected() {
    }

    @Override
    public void disconnected(String reason) {
    }

    @Override
    public void retryNow() {
    }
}
