package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;

/**
 * SPEC §4 and §6: start-up order never loses a connection. Named connections whose type is not installed when the
 * pool starts are loaded parked, and come up when the connector bundle starts later: those persisted in the store
 * (created, then the pool bundle restarted) and those of the provisioning file (written before the framework
 * started, with no connector installed at all).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PersistedConnectionsComeUpWhenTheirConnectorStartsAfterThePoolIT {

    static final String NOT_INSTALLED = "connector type 'fake' is not installed";

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        Option[] options = TetherRuntime.options(PersistedConnectionsComeUpWhenTheirConnectorStartsAfterThePoolIT.class);
        File yaml = new File(TetherRuntime.directory(getClass()), "home/etc/connections/connection.yaml");
        try {
            Files.createDirectories(yaml.getParentFile().toPath());
            Files.writeString(yaml.toPath(), "fake:\n  provisioned:\n    host: from-the-file\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return options;
    }

    @Test
    public void storedAndProvisionedConnectionsParkUntilTheirConnectorStartsAndThenConnect() throws Exception {
        try (FakeConnector fake = new FakeConnector(context)) {
            // the framework started with no connector: the provisioned connection waits, parked
            ConnectionInfo provisioned = Pools.awaitStatus(context, "provisioned", Status.DISCONNECTED, NOT_INSTALLED);
            assertEquals("fake", provisioned.typ());
            assertEquals("from-the-file", provisioned.props().get("host"));

            // a connection created while the connector is there, stored by the pool
            fake.install();
            Pools.awaitStatus(context, "provisioned", Status.CONNECTED, null);
            Pools.await(context).create("stored", "fake", Map.of("host", "from-the-store"));
            Pools.awaitStatus(context, "stored", Status.CONNECTED, null);

            // the connector stops, then the pool restarts: the pool comes up before the connector
            fake.stop();
            Bundle pool = Pools.poolBundle(context);
            pool.stop();
            Poll.until("every fake instance is closed", () -> fake.closed() == fake.created(),
                    () -> fake.created() + " created, " + fake.closed() + " closed");
            pool.start();
            ConnectionPool restarted = Pools.await(context);
            assertFalse(restarted.installedTypes().contains("fake"));
            ConnectionInfo stored = Pools.awaitStatus(context, "stored", Status.DISCONNECTED, NOT_INSTALLED);
            assertEquals("from-the-store", stored.props().get("host"));
            Pools.awaitStatus(context, "provisioned", Status.DISCONNECTED, NOT_INSTALLED);
            assertEquals(List.of("provisioned", "stored"),
                    restarted.list(false).stream().map(ConnectionInfo::id).toList());

            // the connector starts after the pool: both come up
            int openedBefore = fake.opened();
            fake.start();
            Pools.awaitStatus(context, "stored", Status.CONNECTED, null);
            Pools.awaitStatus(context, "provisioned", Status.CONNECTED, null);
            assertTrue(fake.opened() >= openedBefore + 2);
        }
    }
}
