package io.tether.lib.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.tether.testkit.Poll;
import io.tether.testkit.BareMqtt;
import io.tether.testkit.Mosquitto;
import io.tether.testkit.TcpProxy;

/**
 * A rule may take a QoS 1 message only after the link it came on is gone. Paho 1.2.5 queues the PUBACK all the same,
 * and a PUBACK still queued when the next connect starts stops Paho's sender before CONNECT goes out: that connect
 * never completes and every later one is "already in progress" (see {@code internal.SessionAcknowledgements}).
 */
class LateAcknowledgementTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private Mosquitto broker;
    private TcpProxy proxy;
    private MqttAsyncClient publisher;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void start() throws Exception {
        broker = Mosquitto.start(dir);
        proxy = new TcpProxy(broker.port());
        publisher = BareMqtt.connect(broker.tcpUrl());
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        publisher.disconnect().waitForCompletion();
        publisher.close();
        proxy.close();
        broker.close();
    }

    private void publish(String topic, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            BareMqtt.publish(publisher, topic, Integer.toString(i).getBytes(StandardCharsets.UTF_8), 1);
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = { "3.1.1", "5" })
    void acknowledgementsRunAfterTheLinkWentDownDoNotKeepTheNextConnectFromCompleting(String version)
            throws Exception {
        String clientId = "late-" + version.charAt(0);
        MqttClientSettings settings = new MqttClientSettings(proxy.tcpUrl(), ProtocolVersion.parse(version), clientId,
                null, null, false, MqttClientSettings.DEFAULT_KEEP_ALIVE_SECONDS,
                MqttClientSettings.DEFAULT_MAX_INFLIGHT, MqttClientSettings.DEFAULT_RECEIVE_MAXIMUM, TlsSettings.NONE);
        BlockingQueue<Runnable> acknowledgements = new LinkedBlockingQueue<>();
        CountDownLatch lost = new CountDownLatch(1);
        BrokerClient client = BrokerClient.create(settings, clientId, scheduler, new BrokerListener() {
            @Override
            public void messageArrived(String topic, byte[] payload, Map<String, Object> meta, Runnable acknowledge) {
                acknowledgements.add(acknowledge);
            }

            @Override
            public void connectionLost(String reason) {
                lost.countDown();
            }
        }, CONNECT_TIMEOUT);
        try {
            client.connect(CONNECT_TIMEOUT);
            assertEquals(List.of(), client.subscribe(Map.of("late/in", 1)).get(5, TimeUnit.SECONDS));
            publish("late/in", 5);
            Poll.until("5 messages arrived", () -> acknowledgements.size() == 5);

            proxy.cut();
            assertTrue(lost.await(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "the loss is reported");
            List<Runnable> late = new ArrayList<>();
            acknowledgements.drainTo(late);
            late.forEach(Runnable::run);
            proxy.restore();

            client.connect(CONNECT_TIMEOUT);
            assertTrue(client.isConnected());
            CompletableFuture<Void> outcome = new CompletableFuture<>();
            assertTrue(client.publish("late/out", new byte[] { 1 }, 1, false, outcome));
            outcome.get(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            // not acknowledged on their own link: the persistent session's broker sends them again
            Poll.until("the 5 messages came again", () -> acknowledgements.size() == 5);
        } finally {
            client.close();
        }
    }

    /** What the client's reset relies on: disconnectForcibly on a disconnected Paho client drops what it queued. */
    @Test
    void pahosForcedDisconnectOfADisconnectedClientDropsAPubackQueuedMeanwhile() throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(proxy.tcpUrl(), "late-raw", new MemoryPersistence());
        BlockingQueue<Integer> arrived = new LinkedBlockingQueue<>();
        CountDownLatch lost = new CountDownLatch(1);
        client.setManualAcks(true);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.countDown();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrived.add(message.getId());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(false);
        try {
            client.connect(options).waitForCompletion(CONNECT_TIMEOUT.toMillis());
            client.subscribe("late/raw", 1).waitForCompletion(CONNECT_TIMEOUT.toMillis());
            publish("late/raw", 1);
            Integer messageId = arrived.poll(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(messageId, "the message arrived");
            proxy.cut();
            assertTrue(lost.await(Poll.PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "the loss is reported");
            client.messageArrivedComplete(messageId, 1);
            proxy.restore();

            client.disconnectForcibly(0, 0, false);
            client.connect(options).waitForCompletion(CONNECT_TIMEOUT.toMillis());
            assertTrue(client.isConnected());
        } finally {
            client.disconnectForcibly(0, 500, true);
            client.close(true);
        }
    }
}
