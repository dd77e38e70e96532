package io.tether.pool.internal.events;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.Status;
import io.tether.pool.internal.registry.PoolObserver;

/**
 * One log line per status change and removal of a connection, in logfmt, for log shippers:
 * {@code conn=<id> typ=<typ> status=<s> err=<e> refs=<n>}; a value with a space, a quote, an equals sign or nothing
 * in it is quoted. The error is the masked one readers see. A connection that keeps failing the same way (each retry
 * is {@code connecting}, then {@code disconnected} with the same error) is logged at INFO once, its repeats at DEBUG.
 */
public final class StatusLogLines implements PoolObserver {
    static final String LOGGER = "io.tether.connections";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final Pattern BARE = Pattern.compile("[^\\s\"=\\\\]+");

    /** The last line logged at INFO per connection; each connection's calls come in order, one at a time. */
    private final Map<String, String> lastLogged = new ConcurrentHashMap<>();

    @Override
    public void statusChanged(ConnectionInfo connection, long generation) {
        String line = line(connection, connection.status().status().text());
        if (isNews(connection, line)) {
            LOG.info(line);
        } else {
            LOG.debug(line);
        }
    }

    /** Whether the line says something new: not a retry, nor the line last logged at INFO for the connection. */
    boolean isNews(ConnectionInfo connection, String line) {
        String err = connection.status().err();
        boolean retry = connection.status().status() == Status.CONNECTING && err != null && !err.isEmpty();
        if (retry || line.equals(lastLogged.get(connection.id()))) {
            return false;
        }
        lastLogged.put(connection.id(), line);
        return true;
    }

    @Override
    public void removed(ConnectionInfo connection, long generation) {
        lastLogged.remove(connection.id());
        LOG.info(line(connection, ConnectionEvent.DELETED_STATUS));
    }

    static String line(ConnectionInfo connection, String status) {
        String err = connection.status().err();
        return "conn=" + value(connection.id()) + " typ=" + value(connection.typ()) + " status=" + value(status)
                + " err=" + value(err == null ? "" : err) + " refs=" + connection.status().refCount();
    }

    static String value(String text) {
        if (BARE.matcher(text).matches()) {
            return text;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
