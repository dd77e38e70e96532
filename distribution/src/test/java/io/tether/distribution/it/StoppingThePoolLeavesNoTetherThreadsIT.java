package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;

/**
 * Stopping and uninstalling the pool and a connector leaves nothing running: every connection instance is closed
 * and no thread whose name starts with {@code tether} is left (the pool names its threads {@code tether-pool-…}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StoppingThePoolLeavesNoTetherThreadsIT {

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(StoppingThePoolLeavesNoTetherThreadsIT.class);
    }

    @Test
    public void stoppingThePoolAndUninstallingTheConnectorLeavesNoTetherThread() throws Exception {
        FakeConnector fake = new FakeConnector(context);
        fake.install();
        ConnectionPool pool = Pools.await(context);
        Poll.until("type fake installed", () -> pool.installedTypes().contains("fake"));

        // named connections (one whose dials keep failing, so a retry is pending) and an anonymous one
        pool.create("named1", "fake", Map.of());
        Pools.awaitStatus(context, "named1", Status.CONNECTED, null);
        fake.failDials(true);
        pool.create("retrying", "fake", Map.of());
        pool.attach("rule1", "rule1/k", "fake", Map.of("host", "anon"), new StatusRecorder());
        Poll.until("the pool runs threads of its own", () -> !tetherThreads().isEmpty());

        Bundle poolBundle = Pools.poolBundle(context);
        poolBundle.stop();
        poolBundle.uninstall();
        fake.close();

        Poll.until("no thread named tether* is left", () -> tetherThreads().isEmpty(),
                StoppingThePoolLeavesNoTetherThreadsIT::tetherThreads);
        assertEquals("every fake connection instance is closed", fake.created(), fake.closed());
    }

    private static List<String> tetherThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("tether")).sorted().collect(Collectors.toList());
    }
}
