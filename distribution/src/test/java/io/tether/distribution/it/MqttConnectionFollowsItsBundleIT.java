package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.tether.api.connection.ConnectionHandle;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.Status;

/**
 * Issue 3: a named mqtt connection follows the conn.mqtt bundle. An update of the bundle takes it through
 * {@code disconnected} and {@code connecting} back to {@code connected} with no user action; an uninstall parks it
 * ({@code connector type 'mqtt' is not installed}); a reinstall brings it back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MqttConnectionFollowsItsBundleIT {

    static final String MQTT_BUNDLE = "tether.conn.mqtt";
    static final String NOT_INSTALLED = "connector type 'mqtt' is not installed";

    @Inject
    BundleContext context;

    PrivateMosquitto broker;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(MqttConnectionFollowsItsBundleIT.class, TetherRuntime.MQTT);
    }

    @Before
    public void startBroker() {
        broker = new PrivateMosquitto(new File(TetherRuntime.directory(getClass()), "broker"));
    }

    @After
    public void stopBroker() throws Exception {
        Pools.deleteAllNamed(context);
        broker.close();
    }

    @Test
    public void updateUninstallAndReinstallOfTheBundle() throws Exception {
        ConnectionPool pool = Pools.await(context);
        pool.create("plant", "mqtt", Map.of("server", broker.url(), "keepAlive", 5));
        Pools.awaitStatus(context, "plant", Status.CONNECTED, null);
        StatusRecorder listener = new StatusRecorder();
        try (ConnectionHandle handle = pool.attach("rule1", "rule1/source_plant", "mqtt",
                Map.of(ConnectionPool.CONNECTION_SELECTOR, "plant"), listener)) {
            Poll.until("the listener is told connected", () -> listener.sawSince(0, Status.CONNECTED, null),
                    listener::toString);

            int beforeUpdate = listener.size();
            mqttBundle().update();
            Poll.until("the update takes the connection through disconnected and connecting back to connected",
                    () -> listener.sawSince(beforeUpdate, Status.DISCONNECTED, null)
                            && listener.sawSince(beforeUpdate, Status.CONNECTING, null)
                            && lastIs(listener, Status.CONNECTED), listener::toString);
            Pools.awaitStatus(context, "plant", Status.CONNECTED, null);

            String location = mqttBundle().getLocation();
            mqttBundle().uninstall();
            Pools.awaitStatus(context, "plant", Status.DISCONNECTED, NOT_INSTALLED);
            assertEquals(Status.DISCONNECTED, handle.status().status());

            int beforeReinstall = listener.size();
            context.installBundle(location).start();
            Pools.awaitStatus(context, "plant", Status.CONNECTED, null);
            Poll.until("the consumer is told it is connected again",
                    () -> listener.sawSince(beforeReinstall, Status.CONNECTED, null), listener::toString);
            assertTrue(pool.installedTypes().contains("mqtt"));
        }
    }

    private static boolean lastIs(StatusRecorder listener, Status status) {
        var seen = listener.seen();
        return !seen.isEmpty() && seen.get(seen.size() - 1).status() == status;
    }

    private Bundle mqttBundle() {
        for (Bundle bundle : context.getBundles()) {
            if (MQTT_BUNDLE.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle " + MQTT_BUNDLE + " is not installed");
    }
}
