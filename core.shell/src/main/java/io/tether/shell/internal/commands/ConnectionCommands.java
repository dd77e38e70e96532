package io.tether.shell.internal.commands;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.ConnectionStatus;

/**
 * The {@code conn:*} Gogo commands: the connection pool service that the REST API uses, as readable text. Props are
 * shown as the pool shows them (secrets masked), and every message the pool gives is masked once more before it
 * is printed. A refusal is a {@link CommandFailure} with the pool's message.
 */
@Component(service = ConnectionCommands.class, property = {
        CommandProcessor.COMMAND_SCOPE + "=conn",
        CommandProcessor.COMMAND_FUNCTION + "=list",
        CommandProcessor.COMMAND_FUNCTION + "=status",
        CommandProcessor.COMMAND_FUNCTION + "=create",
        CommandProcessor.COMMAND_FUNCTION + "=update",
        CommandProcessor.COMMAND_FUNCTION + "=delete",
        CommandProcessor.COMMAND_FUNCTION + "=check",
        CommandProcessor.COMMAND_FUNCTION + "=types" })
public final class ConnectionCommands {
    static final long DEFAULT_CHECK_TIMEOUT_MILLIS = 5000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final ConnectionPool pool;
    /**
     * Runs the pool's calls. Gogo sends whatever a command's thread writes to {@code System.err} to the operator's
     * session (and so does a thread that inherited the command thread's locals): on a thread of its own, which
     * inherits none, what the pool logs stays in the runtime's log.
     */
    private final ThreadPoolExecutor poolCalls = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(null, runnable, "tether-shell-commands", 0, false);
                thread.setDaemon(true);
                return thread;
            });

    @Activate
    public ConnectionCommands(@Reference ConnectionPool pool) {
        this.pool = pool;
        poolCalls.prestartAllCoreThreads();
    }

    @Deactivate
    public void close() {
        poolCalls.shutdownNow();
        try {
            poolCalls.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Descriptor("lists the named connections: id, type, status, references, last error")
    public String list(
            @Descriptor("anonymous connections too") @Parameter(names = { "-a", "--all" }, presentValue = "true",
                    absentValue = "false") boolean all) {
        List<ConnectionInfo> connections = call(() -> pool.list(all));
        if (connections.isEmpty()) {
            return all ? "no connections\n" : "no named connections\n";
        }
        Table table = all ? new Table("ID", "TYP", "STATUS", "REFS", "NAMED", "ERROR")
                : new Table("ID", "TYP", "STATUS", "REFS", "ERROR");
        for (ConnectionInfo info : connections) {
            ConnectionStatus status = info.status();
            String err = masked(status.err());
            if (all) {
                table.row(info.id(), info.typ(), status.status().text(), status.refCount(), info.named() ? "yes" : "no",
                        err);
            } else {
                table.row(info.id(), info.typ(), status.status().text(), status.refCount(), err);
            }
        }
        return table.toString();
    }

    @Descriptor("shows one connection: status, last error, references, times and props (secrets masked)")
    public String status(@Descriptor("the connection id") String id) {
        ConnectionInfo info = call(() -> pool.get(id)).orElseThrow(
                () -> new CommandFailure("connection " + id + " not existed"));
        return details(info);
    }

    @Descriptor("creates a named connection; props as key=value (a JSON value, or text), nested as a.b=value")
    public String create(@Descriptor("the new connection's id") String id,
            @Descriptor("its connection type (conn:types lists them)") String typ,
            @Descriptor("props: key=value ...") String... props) {
        Map<String, Object> parsed = props(props);
        ConnectionInfo created = call(() -> pool.create(id, typ, parsed));
        return "created " + created.id() + " (" + created.typ() + ")\n" + details(created);
    }

    @Descriptor("changes the given props of a named connection and keeps the others (key=null removes one);"
            + " --replace sets exactly the props given")
    public String update(
            @Descriptor("set exactly the props given, as a REST PUT does") @Parameter(names = { "--replace" },
                    presentValue = "true", absentValue = "false") boolean replace,
            @Descriptor("a new connection type (only while nothing references the connection)") @Parameter(
                    names = { "--typ" }, absentValue = "") String typ,
            @Descriptor("the connection id") String id,
            @Descriptor("props: key=value ...") String... props) {
        Map<String, Object> given = props(props);
        ConnectionInfo current = call(() -> pool.get(id)).orElseThrow(
                () -> new CommandFailure("connection " + id + " not existed"));
        // the current props come masked: the pool keeps the stored value of every masked secret sent back
        Map<String, Object> next = replace ? given : PropArguments.mergePatch(current.props(), given);
        String type = typ.isEmpty() ? current.typ() : typ;
        ConnectionInfo updated = call(() -> pool.update(id, type, next));
        return "updated " + updated.id() + " (" + updated.typ() + ")\n" + details(updated);
    }

    @Descriptor("deletes a named connection (refused while a rule references it)")
    public String delete(@Descriptor("the connection id") String id) {
        if (call(() -> pool.get(id)).isEmpty()) {
            return "no connection " + id + ": nothing deleted\n";
        }
        call(() -> {
            pool.delete(id);
            return null;
        });
        return "deleted " + id + "\n";
    }

    @Descriptor("checks that props of a type connect, with a temporary connection: nothing is stored or kept open")
    public String check(
            @Descriptor("how long to wait for the connection, in ms") @Parameter(names = { "--timeout" },
                    absentValue = "" + DEFAULT_CHECK_TIMEOUT_MILLIS) long timeoutMillis,
            @Descriptor("the connection type") String typ,
            @Descriptor("props: key=value ...") String... props) {
        if (timeoutMillis <= 0) {
            throw new CommandFailure("--timeout must be a positive number of ms, not " + timeoutMillis);
        }
        Map<String, Object> parsed = props(props);
        long started = System.nanoTime();
        call(() -> {
            pool.check(typ, parsed, Duration.ofMillis(timeoutMillis));
            return null;
        });
        return typ + ": connected in " + (System.nanoTime() - started) / 1_000_000 + " ms\n";
    }

    @Descriptor("lists the connection types installed now")
    public String types() {
        Set<String> types = call(pool::installedTypes);
        if (types.isEmpty()) {
            return "no connector types installed\n";
        }
        return String.join("\n", types) + "\n";
    }

    private String details(ConnectionInfo info) {
        ConnectionStatus status = info.status();
        Table table = new Table(2);
        table.row("id", info.id())
                .row("typ", info.typ())
                .row("named", info.named() ? "yes" : "no")
                .row("status", status.status().text())
                .row("error", Optional.ofNullable(masked(status.err())).filter(err -> !err.isEmpty()).orElse("-"))
                .row("refs", status.refs().isEmpty() ? "-" : String.join(", ", status.refs()))
                .row("last connected", time(status.lastConnected()))
                .row("last disconnected", time(status.lastDisconnected()))
                .row("last try", time(status.lastTry()));
        return table + "props\n" + indent(json(info.props())) + "\n";
    }

    private static String time(long unixMillis) {
        return unixMillis == 0 ? "-" : TIME.format(Instant.ofEpochMilli(unixMillis));
    }

    private static String json(Map<String, Object> props) {
        try {
            return JSON.writeValueAsString(props);
        } catch (JsonProcessingException e) {
            throw new CommandFailure("props cannot be shown: " + e.getOriginalMessage());
        }
    }

    private static String indent(String text) {
        return text.lines().map(line -> "  " + line).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private String masked(String text) {
        return text == null ? null : pool.maskSecrets(text);
    }

    private Map<String, Object> props(String[] words) {
        try {
            return PropArguments.parse(words == null ? List.of() : List.of(words));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(masked(e.getMessage()));
        }
    }

    private <T> T call(Callable<T> call) {
        Future<T> result = poolCalls.submit(call);
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConnectionPoolException refused) {
                throw new CommandFailure(masked(refused.getMessage()));
            }
            if (e.getCause() instanceof RuntimeException failed) {
                throw failed;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted");
        }
    }
}
