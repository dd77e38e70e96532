package io.tether.conn.sql.internal.connection;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import io.tether.api.connection.ConnectionException;

/** Turns what JDBC and HikariCP throw into messages a user can act on, and into retryable or permanent failures. */
public final class Failures {
    /** HikariCP's own words when it waited for a connection in vain; the driver's reason is in the cause. */
    private static final String POOL_TIMED_OUT = "Connection is not available, request timed out";

    private Failures() {
    }

    /** The driver's message (not HikariCP's wrapper), with secrets scrubbed. */
    public static String message(Throwable failure, String password) {
        Throwable reason = failure;
        while (reason.getCause() != null && (reason.getMessage() == null
                || reason.getMessage().contains(POOL_TIMED_OUT)
                || reason.getClass().getName().startsWith("com.zaxxer.hikari"))) {
            reason = reason.getCause();
        }
        String message = reason.getMessage();
        return Secrets.scrub(message == null || message.isBlank() ? reason.getClass().getSimpleName() : message,
                password);
    }

    /** Bad credentials cannot be mended by retrying (SPEC §3); everything else may be an outage. */
    public static ConnectionException dialFailure(Throwable failure, String password) {
        String message = message(failure, password);
        return isAuthorizationFailure(failure) ? ConnectionException.permanent(message, null)
                : ConnectionException.io(message, null);
    }

    /** Whether the failure is of the link (the database is gone) rather than of a statement or its data. */
    public static boolean isConnectionFailure(SQLException failure) {
        String state = failure.getSQLState();
        return failure instanceof SQLTransientConnectionException
                || failure instanceof SQLNonTransientConnectionException
                || failure instanceof SQLRecoverableException
                || state != null && state.startsWith("08");
    }

    private static boolean isAuthorizationFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
                return true;
            }
        }
        return false;
    }
}
