package io.tether.edgex.internal;

import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.io.RawMessage;
import io.tether.lib.mqtt.BrokerClient;
import io.tether.lib.mqtt.BrokerListener;
import io.tether.lib.mqtt.ClientThreads;
import io.tether.lib.mqtt.Dispatcher;
import io.tether.lib.mqtt.MqttClientSettings;
import io.tether.lib.mqtt.ProtocolVersion;
import io.tether.lib.mqtt.PublishFailedException;
import io.tether.lib.mqtt.Subscriptions;

/**
 * The MQTT bus through lib.mqtt (Eclipse Paho, MQTT 3.1.1), as go-mod-messaging uses it: topics verbatim with their
 * wildcards, the whole envelope as JSON in each message, {@code Qos} for subscriptions and publishes, {@code Retained}
 * for publishes. Arriving messages are handed on off Paho's threads, in arrival order; a QoS 1 message is
 * acknowledged once every source it goes to has handed it to its rule (as conn.mqtt does).
 */
final class MqttBusClient implements BusClient {
    private final BusSettings settings;
    private final ConnectionContext context;
    private final Consumer<String> lost;
    private final ClientThreads threads;
    private final Subscriptions subscriptions = new Subscriptions();
    private final Dispatcher dispatcher;
    private final AtomicBoolean lostReported = new AtomicBoolean();
    private volatile BrokerClient client;
    private volatile boolean closed;

    MqttBusClient(BusSettings settings, ConnectionContext context, Consumer<String> lost, ClientThreads threads) {
        this.settings = settings;
        this.context = context;
        this.lost = lost;
        this.threads = threads;
        this.dispatcher = new Dispatcher(threads.dispatchThreads());
    }

    @Override
    public void connect() throws ConnectionException {
        String clientId = settings.option("ClientId",
                "tether_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        String keepAlive = settings.option("KeepAlive", "0");
        MqttClientSettings client = new MqttClientSettings(
                ("ssl".equals(settings.protocol()) ? "ssl" : "tcp") + "://" + settings.host() + ":" + settings.port(),
                ProtocolVersion.V3_1_1, clientId, settings.option("Username", null), settings.option("Password", null),
                true, keepAlive.equals("0") ? MqttClientSettings.DEFAULT_KEEP_ALIVE_SECONDS : Integer.parseInt(keepAlive),
                MqttClientSettings.DEFAULT_MAX_INFLIGHT, MqttClientSettings.DEFAULT_RECEIVE_MAXIMUM,
                settings.tls());
        BrokerClient dialling = BrokerClient.create(client, clientId, threads.scheduler(), new Events(),
                context.dialTimeout());
        this.client = dialling;
        if (closed) {
            dialling.close();
            throw ConnectionException.io("closed", null);
        }
        try {
            dialling.connect(context.dialTimeout());
            subscriptions.sessionStarted(dialling, context.dialTimeout());
        } catch (ConnectionException e) {
            throw new ConnectionException(this + ": " + e.getMessage(), e.isRetryable(), e);
        }
    }

    @Override
    public Runnable subscribe(Subscriber subscriber) {
        return subscriptions.add(subscriber.topic(), settings.qos(), new Subscriptions.Subscriber() {
            @Override
            public void message(RawMessage message) throws InterruptedException {
                Envelope envelope;
                try {
                    envelope = EnvelopeCodec.decode(message.payload(), String.valueOf(message.meta().get("topic")));
                } catch (MalformedMessageException e) {
                    subscriber.failed("a message on " + message.meta().get("topic") + ": " + e.getMessage());
                    return;
                }
                subscriber.deliver(envelope, !Integer.valueOf(0).equals(message.meta().get("qos")));
            }

            @Override
            public void dropped(RawMessage message, String reason) {
                subscriber.failed("dropped a message of " + message.meta().get("topic") + ": " + reason);
            }

            @Override
            public void refused(String filter) {
                subscriber.failed("the broker refused the subscription to " + filter);
            }
        });
    }

    @Override
    public CompletableFuture<Void> publish(String topic, Envelope envelope) {
        BrokerClient live = client;
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        try {
            if (live == null || closed) {
                throw PublishFailedException.notConnected();
            }
            if (!live.publish(topic, EnvelopeCodec.encode(envelope), settings.qos(), settings.flag("Retained"),
                    outcome)) {
                return CompletableFuture.failedFuture(new IOException(
                        "too many publishes in progress: " + MqttClientSettings.DEFAULT_MAX_INFLIGHT
                                + " messages wait for the broker's acknowledgement"));
            }
        } catch (PublishFailedException e) {
            return CompletableFuture.failedFuture(e);
        }
        return outcome;
    }

    @Override
    public void close() {
        closed = true;
        // first, so that nothing more is acknowledged: what was not handed on yet is the broker's to send again
        dispatcher.stop();
        BrokerClient closing = client;
        if (closing != null) {
            subscriptions.sessionEnded(closing);
            closing.close();
        }
    }

    @Override
    public String toString() {
        return "mqtt bus " + settings.protocol() + "://" + settings.host() + ":" + settings.port();
    }

    /** The client's reports. */
    private final class Events implements BrokerListener {
        @Override
        public void messageArrived(String topic, byte[] payload, Map<String, Object> meta, Runnable acknowledge) {
            if (closed) {
                return;
            }
            Dispatcher.Delivery delivery = () -> {
                subscriptions.route(topic, payload, meta);
                acknowledge.run();
            };
            if (Integer.valueOf(0).equals(meta.get("qos"))) {
                if (!dispatcher.dispatchCapped(delivery)) {
                    subscriptions.dropped(topic, payload, meta, Dispatcher.CAPPED_BACKLOG
                            + " QoS 0 messages already wait for delivery on connection " + context.connectionId());
                }
            } else {
                dispatcher.dispatch(delivery);
            }
        }

        @Override
        public void connectionLost(String reason) {
            if (!closed && lostReported.compareAndSet(false, true)) {
                subscriptions.sessionEnded(client);
                lost.accept(MqttBusClient.this + ": link lost: " + reason);
            }
        }
    }
}
