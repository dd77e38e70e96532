package io.tether.pool.internal.events;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
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
 * A connection that flaps (connects and drops over and over) is logged at INFO at most {@code linesPerMinute} times in
 * a minute; the lines beyond go to DEBUG, and when the minute ends one line tells its status then with
 * {@code suppressed=<n>}, the number of lines left out (a removal's line carries it when the connection goes first).
 * Only the log is throttled: the status events and metrics see every change.
 */
public final class StatusLogLines implements PoolObserver {
    static final String LOGGER = "io.tether.connections";
    static final long MINUTE_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final Pattern BARE = Pattern.compile("[^\\s\"=\\\\]+");

    /** Where the lines go: the log, or a test's list. */
    interface Output {
        void info(String line);

        void debug(String line);

        static Output of(Consumer<String> info, Consumer<String> debug) {
            return new Output() {
                @Override
                public void info(String line) {
                    info.accept(line);
                }

                @Override
                public void debug(String line) {
                    debug.accept(line);
                }
            };
        }
    }

    /** Runs a task later. */
    interface Scheduler {
        /** @return what cancels the task; {@code null} when it cannot run (the pool is stopping) */
        Cancellable schedule(Runnable task, long delayMillis);
    }

    interface Cancellable {
        void cancel();
    }

    /** What was logged of one connection; guarded by itself (the summary runs on a timer thread). */
    private static final class Logged {
        String lastNews;
        long minuteStart;
        int lines;
        int suppressed;
        ConnectionInfo latest;
        Cancellable summary;
    }

    private final Scheduler scheduler;
    private final LongSupplier clock;
    private final Output output;
    private final Map<String, Logged> byConnection = new ConcurrentHashMap<>();
    private volatile int linesPerMinute;

    /** @param linesPerMinute INFO lines per connection and minute; 0 or less: no limit */
    public StatusLogLines(ScheduledExecutorService timers, int linesPerMinute) {
        this((task, delayMillis) -> {
            try {
                ScheduledFuture<?> future = timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            } catch (RejectedExecutionException stopping) {
                return null;
            }
        }, System::currentTimeMillis, Output.of(LOG::info, LOG::debug), linesPerMinute);
    }

    StatusLogLines(Scheduler scheduler, LongSupplier clock, Output output, int linesPerMinute) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.output = output;
        this.linesPerMinute = linesPerMinute;
    }

    /** Applies from the next line on. */
    public void linesPerMinute(int linesPerMinute) {
        this.linesPerMinute = linesPerMinute;
    }

    @Override
    public void statusChanged(ConnectionInfo connection, long generation) {
        String line = line(connection, connection.status().status().text());
        Logged logged = byConnection.computeIfAbsent(connection.id(), id -> new Logged());
        synchronized (logged) {
            if (!isNews(logged, connection, line)) {
                output.debug(line);
                return;
            }
            long now = clock.getAsLong();
            if (now - logged.minuteStart >= MINUTE_MILLIS) {
                logged.minuteStart = now;
                logged.lines = 0;
            }
            int limit = linesPerMinute;
            if (limit <= 0 || logged.lines < limit) {
                logged.lines++;
                output.info(line);
                return;
            }
            if (logged.summary == null) {
                logged.summary = scheduler.schedule(() -> summarise(logged),
                        logged.minuteStart + MINUTE_MILLIS - now);
                if (logged.summary == null) {
                    output.info(line);
                    return;
                }
            }
            logged.suppressed++;
            logged.latest = connection;
            output.debug(line);
        }
    }

    /** The minute of a connection with lines left out has ended: its status now, and how many lines were left out. */
    private void summarise(Logged logged) {
        synchronized (logged) {
            logged.summary = null;
            if (logged.suppressed == 0) {
                return;
            }
            String line = line(logged.latest, logged.latest.status().status().text());
            output.info(line + " suppressed=" + logged.suppressed);
            logged.lastNews = line;
            logged.suppressed = 0;
            logged.latest = null;
            logged.minuteStart = clock.getAsLong();
            logged.lines = 0;
        }
    }

    /** Whether the line says something new: not a retry, nor the last such line of the connection. */
    private static boolean isNews(Logged logged, ConnectionInfo connection, String line) {
        String err = connection.status().err();
        boolean retry = connection.status().status() == Status.CONNECTING && err != null && !err.isEmpty();
        if (retry || line.equals(logged.lastNews)) {
            return false;
        }
        logged.lastNews = line;
        return true;
    }

    @Override
    public void removed(ConnectionInfo connection, long generation) {
        String suppressed = "";
        Logged logged = byConnection.remove(connection.id());
        if (logged != null) {
            synchronized (logged) {
                if (logged.summary != null) {
                    logged.summary.cancel();
                    logged.summary = null;
                }
                if (logged.suppressed > 0) {
                    suppressed = " suppressed=" + logged.suppressed;
                    logged.suppressed = 0;
                }
            }
        }
        output.info(line(connection, ConnectionEvent.DELETED_STATUS) + suppressed);
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
