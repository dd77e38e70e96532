package io.tether.conn.sql.internal.connection;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;

import io.tether.api.connection.ConnectionException;

/** Turns what JDBC and HikariCP throw into messages a user can act on, and into retryable or permanent failures. */
public final class Failures {
    /** HikariCP's own words when it waited for a connection in vain; the driver's reason is in the cause. */
    private static final String POOL_TIMED_OUT = "Connection is not available, request timed out";
    /** How far {@link #isRetryable} follows causes and chained exceptions, which drivers may link in a loop. */
    private static final int MAX_DEPTH = 16;

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

    /**
     * Whether doing the same again, later, may succeed: the link failed or the pool timed out, the statement timed
     * out, the transaction lost a conflict, or the database is short of resources, shutting down, or (SQLite) locked
     * by another writer. Anything else (a constraint violation, bad data, an unknown table or column) is the
     * statement's or its data's fault, which sending again cannot mend. Looks through causes and chained exceptions,
     * where HikariCP and batches keep the driver's reason.
     */
    public static boolean isRetryable(SQLException failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = next(t)) {
            if (t instanceof SQLException sql && (isConnectionFailure(sql) || isTransient(sql))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransient(SQLException failure) {
        String state = failure.getSQLState();
        return failure instanceof SQLTransientException
                || state != null && (state.startsWith("40") || state.startsWith("53") || state.startsWith("57P0")
                        // PostgreSQL's statement_timeout and lock_timeout
                        || state.equals("57014") || state.equals("55P03"))
                || isSqliteBusy(failure);
    }

    /** SQLITE_BUSY (5) and SQLITE_LOCKED (6): the SQLite driver gives no SQL state, only the primary result code. */
    private static boolean isSqliteBusy(SQLException failure) {
        return failure.getClass().getName().startsWith("org.sqlite.")
                && (failure.getErrorCode() == 5 || failure.getErrorCode() == 6);
    }

    private static Throwable next(Throwable failure) {
        if (failure.getCause() != null) {
            return failure.getCause();
        }
        return failure instanceof SQLException sql ? sql.getNextException() : null;
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
