package io.tether.conn.sql.internal.connection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

/** Which failures of a statement are worth retrying, by JDBC class and SQL state, through causes and chains. */
class FailuresTest {

    @Test
    void outagesTimeoutsConflictsAndShortagesAreRetryable() {
        for (String state : new String[] { "08006", "08001", "40001", "40P01", "53300", "53100", "57P01", "57P03",
                "57014" }) {
            assertTrue(Failures.isRetryable(new SQLException("x", state)), state);
        }
        assertTrue(Failures.isRetryable(new SQLTimeoutException("statement timed out")));
        assertTrue(Failures.isRetryable(new SQLTransactionRollbackException("deadlock")));
        assertTrue(Failures.isRetryable(new SQLRecoverableException("link lost")));
    }

    @Test
    void aPoolTimeoutIsRetryableAndTheDriversReasonIsFoundInItsCause() {
        SQLException hikari = new SQLTransientConnectionException(
                "tether-sql-db - Connection is not available, request timed out after 1000ms", null,
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
        assertTrue(Failures.isRetryable(hikari));
        assertTrue(Failures.message(hikari, null).startsWith("Connection to 127.0.0.1:5432 refused"));
    }

    @Test
    void constraintDataAndSyntaxErrorsArePermanent() {
        for (String state : new String[] { "23505", "23502", "22001", "22P02", "42P01", "42703", "42601" }) {
            assertFalse(Failures.isRetryable(new SQLException("x", state)), state);
        }
        assertFalse(Failures.isRetryable(new SQLIntegrityConstraintViolationException("dup", "23000")));
        assertFalse(Failures.isRetryable(new SQLException("no state")));
    }

    @Test
    void aBatchFailureIsClassifiedByTheExceptionsItChains() {
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 failed", new int[0]);
        batch.setNextException(new SQLException("could not serialize access", "40001"));
        assertTrue(Failures.isRetryable(batch));
        BatchUpdateException refused = new BatchUpdateException("batch entry 0 failed", new int[0]);
        refused.setNextException(new SQLException("duplicate key", "23505"));
        assertFalse(Failures.isRetryable(refused));
    }

    @Test
    void messagesKeepPasswordsOut() {
        SQLException failure = new SQLException("FATAL: cannot connect to postgres://u:s3cret@db/x with s3cret",
                "08001");
        String message = Failures.message(failure, "s3cret");
        assertFalse(message.contains("s3cret"), message);
    }
}
