package io.tether.distribution.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.tether.api.connection.ConnectionStatus;
import io.tether.api.connection.Status;
import io.tether.api.connection.StatusListener;

/** A consumer's status listener that keeps every status it was told. */
public final class StatusRecorder implements StatusListener {

    private final List<ConnectionStatus> seen = new CopyOnWriteArrayList<>();

    @Override
    public void statusChanged(String connectionId, ConnectionStatus status) {
        seen.add(status);
    }

    public List<ConnectionStatus> seen() {
        return List.copyOf(seen);
    }

    public int size() {
        return seen.size();
    }

    /** Whether a status with that state (and, when not null, that error) was told after the first {@code from}. */
    public boolean sawSince(int from, Status state, String err) {
        List<ConnectionStatus> all = seen();
        for (int i = from; i < all.size(); i++) {
            ConnectionStatus s = all.get(i);
            if (s.status() == state && (err == null || err.equals(s.err()))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return seen().stream().map(s -> s.status().text() + (s.err() == null ? "" : "(" + s.err() + ")"))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
