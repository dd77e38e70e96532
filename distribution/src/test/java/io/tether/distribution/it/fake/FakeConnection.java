package io.tether.distribution.it.fake;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionException;

/** A connection whose dial returns at once (or fails when the test says so). */
final class FakeConnection implements Connection {

    private final Map<String, Object> control;
    private final AtomicBoolean closed = new AtomicBoolean();

    FakeConnection(Map<String, Object> control) {
        this.control = control;
    }

    @Override
    public void dial() throws ConnectionException {
        if (FakeConnectorFactory.failDials(control)) {
            throw FakeConnectorFactory.dialRefused();
        }
        FakeConnectorFactory.count(control, FakeConnectorFactory.OPENED);
    }

    @Override
    public void ping() throws ConnectionException {
        if (FakeConnectorFactory.failDials(control)) {
            throw FakeConnectorFactory.dialRefused();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            FakeConnectorFactory.count(control, FakeConnectorFactory.CLOSED);
        }
    }
}
