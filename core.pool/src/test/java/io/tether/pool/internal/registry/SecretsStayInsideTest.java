package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectionPoolException;
import io.tether.api.connection.PropError;
import io.tether.api.connection.Status;

/** SPEC §5: secrets stay inside: not in answers, errors, status, logs nor readable files. */
class SecretsStayInsideTest {
    @TempDir
    Path data;

    @Test
    void aDialErrorIsMaskedInTheStatusTheListenersAndTheLog() throws Exception {
        FakeConnector fake = new FakeConnector();
        fake.dialCrash = "cannot reach postgres://u:PW1@h/db?password=PW2 as passphrase s3cr3t";
        String shown = "cannot reach postgres://u:******@h/db?password=****** as passphrase ******";
        String log = capturingStandardError(() -> {
            try (PoolHarness pool = new PoolHarness(data).withFactory("fake", fake)) {
                pool.registry.create("c1", "fake", Map.of("host", "h", "passphrase", "s3cr3t"));
                StatusRecorder recorder = new StatusRecorder();
                pool.registry.attach("r1", "k", "fake", Map.of(ConnectionPool.CONNECTION_SELECTOR, "c1"), recorder);
                StatusRecorder.await(() -> shown.equals(pool.registry.get("c1").orElseThrow().status().err()),
                        "the masked error, saw " + pool.registry.get("c1").orElseThrow().status().err());
                StatusRecorder.await(() -> recorder.last() != null && shown.equals(recorder.last().err()),
                        "the listener told the masked error");
                assertTrue(pool.observer.named.get("c1").err() == null || shown.equals(
                        pool.observer.named.get("c1").err()));
            }
        });
        assertTrue(log.contains("java.lang.IllegalStateException: cannot reach postgres://u:******@h/db"), log);
        assertFalse(log.contains("PW1") || log.contains("PW2"), log);
    }

    @Test
    void aValidationErrorThatEchoesAUrlIsMasked() throws Exception {
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", new FakeConnector())) {
            ConnectionPoolException refused = assertThrows(ConnectionPoolException.class, () -> pool.registry
                    .create("c1", "fake", Map.of("host", "h", "server", "tcp://usr:PW@127.0.0.1:notaport")));
            assertEquals("invalid props: server: server tcp://usr:******@127.0.0.1:notaport has no host",
                    refused.getMessage());
            assertEquals(List.of(new PropError("server", "server tcp://usr:******@127.0.0.1:notaport has no host")),
                    refused.propErrors());
        }
    }

    @Test
    void declaredSecretNamesAreRememberedAcrossARestartWithoutTheType() throws Exception {
        try (PoolHarness pool = new PoolHarness(data).withFactory("fake", new FakeConnector())) {
            pool.registry.create("c1", "fake", Map.of("host", "h", "passphrase", "s3cr3t"));
        }
        try (PoolHarness restarted = new PoolHarness(data)) {
            ConnectionInfo shown = restarted.registry.get("c1").orElseThrow();
            assertEquals(Status.DISCONNECTED, shown.status().status());
            assertEquals("******", shown.props().get("passphrase"));
            assertEquals(Map.of("passphrase", "******"),
                    restarted.registry.maskSecrets("fake", Map.of("passphrase", "x"), Set.of()));

            restarted.withFactory("fake", new FakeConnector());
            Map<String, Object> sentBack = new HashMap<>(restarted.registry.get("c1").orElseThrow().props());
            sentBack.put("host", "h2");
            restarted.registry.update("c1", "fake", sentBack);
            assertEquals("s3cr3t", restarted.stored().connections().get(0).props().get("passphrase"));
        }
    }

    @Test
    void theStoreIsReadableByItsOwnerOnlyAndItsDirectoryOpenToItsOwnerOnly() throws Exception {
        Path nested = data.resolve("created-by-the-pool");
        try (PoolHarness pool = new PoolHarness(nested).withFactory("fake", new FakeConnector())) {
            pool.registry.create("c1", "fake", Map.of("host", "h"));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(pool.store.file())));
            pool.registry.update("c1", "fake", Map.of("host", "h2"));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(pool.store.file())));
        }
    }

    /** Runs the action with the standard error stream (slf4j-simple's target) captured, and returns what it got. */
    private static String capturingStandardError(ThrowingRunnable action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
