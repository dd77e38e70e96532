package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.connection.StatusListener;

/** Records what a status listener was told. */
final class StatusRecorder implements StatusListener {
    final List<ConnectionStatus> seen = new CopyOnWriteArrayList<>();

    @Override
    public void statusChanged(String connectionId, ConnectionStatus status) {
        seen.add(status);
    }

    List<Status> statuses() {
        return seen.stream().map(ConnectionStatus::status).toList();
    }

    ConnectionStatus last() {
        return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }

    void awaitLast(Status status) {
        await(() -> last() != null && last().status() == status, "last status " + status + ", saw " + statuses());
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
