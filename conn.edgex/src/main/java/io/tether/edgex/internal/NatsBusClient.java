package io.tether.edgex.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.lib.mqtt.TlsSettings;

/**
 * The NATS buses (core and JetStream) through jnats, as go-mod-messaging uses them: topics mapped to subjects, queue
 * subscriptions, envelopes as headers around the payload ({@code Format: nats}, the default) or as JSON. jnats' own
 * reconnect is off: a lost link is reported to the pool, which dials a new client with its backoff, forever, and the
 * connection's subscribers are subscribed again on it. JetStream messages are acknowledged only once the source's
 * rule accepted them; until then JetStream holds them (and sends them again after its ack wait).
 */
final class NatsBusClient implements BusClient {
    private static final Logger LOG = LoggerFactory.getLogger(NatsBusClient.class);
    private static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);

    private final BusSettings settings;
    private final ConnectionContext context;
    private final Consumer<String> lost;
    private final boolean jetStream;
    private final boolean natsFormat;
    /** Threads in a subscriber's delivery: a close interrupts their wait for the rule. */
    private final Set<Thread> delivering = ConcurrentHashMap.newKeySet();
    private volatile Thread dialling;
    private volatile Connection connection;
    /** Why the dial failed, as jnats reports it to the error listener (Nats.connect's exception does not say). */
    private volatile Exception dialFailure;
    private volatile JetStream js;
    private volatile boolean closed;
    private final AtomicBoolean lostReported = new AtomicBoolean();

    NatsBusClient(BusSettings settings, ConnectionContext context, Consumer<String> lost) {
        this.settings = settings;
        this.context = context;
        this.lost = lost;
        this.jetStream = settings.type() == BusType.NATS_JETSTREAM;
        this.natsFormat = !"json".equalsIgnoreCase(settings.option("Format", "nats"));
    }

    @Override
    public void connect() throws ConnectionException {
        Options options = options();
        dialling = Thread.currentThread();
        try {
            if (closed) {
                throw ConnectionException.io("closed", null);
            }
            Connection connected = Nats.connect(options);
            connection = connected;
            if (closed) {
                close();
                throw ConnectionException.io("closed", null);
            }
            if (jetStream) {
                js = connected.jetStream();
            }
        } catch (IOException e) {
            Exception cause = dialFailure;
            throw ConnectionException.io(this + ": " + e.getMessage() + (cause == null ? "" : ": " + reason(cause))
                    + (cause instanceof TimeoutException && "ssl".equals(settings.protocol())
                            ? " (a server that requires client certificates also ends the connection this way when it"
                                    + " does not trust the client's: optional CertFile and KeyFile)" : ""), e);
        } catch (InterruptedException e) {
            throw ConnectionException.io(this + ": the dial was interrupted", e);
        } finally {
            dialling = null;
            // a close() that interrupted the dial must not leave the interrupt to the pool's thread
            if (closed) {
                Thread.interrupted();
            }
        }
    }

    /** The innermost message, after "TLS handshake failed" when it was the handshake that failed. */
    private static String reason(Throwable failure) {
        boolean handshake = false;
        Throwable innermost = failure;
        while (true) {
            handshake |= innermost instanceof SSLException;
            if (innermost.getCause() == null || innermost.getCause() == innermost) {
                break;
            }
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage() == null ? innermost.toString() : innermost.getMessage();
        return handshake ? "TLS handshake failed: " + message : message;
    }

    private Options options() throws ConnectionException {
        String scheme = "ssl".equals(settings.protocol()) ? "tls" : "nats";
        Options.Builder builder = new Options.Builder()
                .server(scheme + "://" + settings.host() + ":" + settings.port())
                // shorter than the pool's limit, so that jnats' own timeout, and its reason, ends the dial
                .connectionTimeout(context.dialTimeout().multipliedBy(3).dividedBy(4))
                .noReconnect()
                .noRandomize()
                .ignoreDiscoveredServers()
                .pingInterval(keepAlive())
                .connectionName(settings.option("ClientId", "tether-" + context.connectionId()))
                .connectionListener(this::connectionEvent)
                .errorListener(new LoggingErrors());
        String username = settings.option("Username", null);
        if (username != null) {
            builder.userInfo(username, settings.option("Password", ""));
        }
        if ("ssl".equals(settings.protocol())) {
            TlsSettings tls = settings.tls();
            try {
                builder.sslContext(tls.custom() ? tls.sslContext() : SSLContext.getDefault());
            } catch (GeneralSecurityException | IOException e) {
                throw ConnectionException.permanent(this + ": cannot set up TLS from the optional CaFile, CertFile"
                        + " and KeyFile: " + e, e);
            }
        }
        return builder.build();
    }

    private Duration keepAlive() {
        String seconds = settings.option("KeepAlive", null);
        return seconds == null || seconds.equals("0") ? DEFAULT_PING_INTERVAL : Duration.ofSeconds(Long.parseLong(seconds));
    }

    private void connectionEvent(Connection from, ConnectionListener.Events event) {
        if ((event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.CLOSED) && !closed
                && from == connection && lostReported.compareAndSet(false, true)) {
            String error = from.getLastError();
            lost.accept(this + ": link lost" + (error == null || error.isEmpty() ? "" : ": " + error));
        }
    }

    @Override
    public Runnable subscribe(Subscriber subscriber) throws IOException {
        Connection on = connection;
        if (on == null) {
            throw new IOException(this + " is not connected");
        }
        String subject = Topics.toSubject(subscriber.topic());
        String queue = settings.option("QueueGroup", null);
        Dispatcher dispatcher = on.createDispatcher();
        MessageHandler handler = message -> handle(message, subscriber);
        try {
            if (jetStream) {
                JetStreamSubscription subscription = js.subscribe(subject, queue, dispatcher, handler, false,
                        jetStreamOptions(on, subject));
                return () -> {
                    dispatcher.unsubscribe(subscription);
                    on.closeDispatcher(dispatcher);
                };
            }
            if (queue == null) {
                dispatcher.subscribe(subject, handler);
            } else {
                dispatcher.subscribe(subject, queue, handler);
            }
        } catch (JetStreamApiException | RuntimeException e) {
            on.closeDispatcher(dispatcher);
            throw new IOException(e.getMessage(), e);
        }
        return () -> on.closeDispatcher(dispatcher);
    }

    private PushSubscribeOptions jetStreamOptions(Connection on, String subject) throws IOException, JetStreamApiException {
        String durable = settings.option("Durable", null);
        String stream = durable != null ? durable : Topics.streamName(subject);
        if (settings.flag("AutoProvision")) {
            provision(on.jetStreamManagement(), stream, subject);
        }
        ConsumerConfiguration consumer = ConsumerConfiguration.builder()
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(deliverPolicy())
                .build();
        PushSubscribeOptions.Builder options = PushSubscribeOptions.builder().configuration(consumer);
        return durable != null ? options.durable(durable).build() : options.stream(stream).build();
    }

    private static void provision(JetStreamManagement management, String stream, String subject)
            throws IOException, JetStreamApiException {
        if (!management.getStreamNames().contains(stream)) {
            try {
                management.addStream(StreamConfiguration.builder().name(stream).subjects(subject).build());
            } catch (JetStreamApiException raced) {
                if (!management.getStreamNames().contains(stream)) {
                    throw raced;
                }
            }
        }
    }

    private DeliverPolicy deliverPolicy() {
        return switch (settings.option("Deliver", "new").toLowerCase(java.util.Locale.ROOT)) {
            case "all" -> DeliverPolicy.All;
            case "last" -> DeliverPolicy.Last;
            case "lastpersubject" -> DeliverPolicy.LastPerSubject;
            default -> DeliverPolicy.New;
        };
    }

    private void handle(Message message, Subscriber subscriber) {
        Thread thread = Thread.currentThread();
        delivering.add(thread);
        try {
            Envelope envelope;
            try {
                envelope = envelope(message);
            } catch (MalformedMessageException e) {
                subscriber.failed("a message on " + Topics.toTopic(message.getSubject()) + ": " + e.getMessage());
                acknowledge(message);
                return;
            }
            if (subscriber.deliver(envelope, jetStream) && !closed) {
                acknowledge(message);
            }
        } catch (InterruptedException e) {
            // closing: unacknowledged, JetStream sends it again
        } finally {
            delivering.remove(thread);
            Thread.interrupted();
        }
    }

    private void acknowledge(Message message) {
        if (!jetStream) {
            return;
        }
        try {
            if (settings.flag("ExactlyOnce")) {
                message.ackSync(context.dialTimeout());
            } else {
                message.ack();
            }
        } catch (Exception e) {
            LOG.debug("{}: an acknowledgement was not sent: {}", this, e.toString());
        }
    }

    private Envelope envelope(Message message) throws MalformedMessageException {
        String topic = Topics.toTopic(message.getSubject());
        Headers headers = message.getHeaders();
        if (!natsFormat || headers == null || headers.isEmpty()) {
            return EnvelopeCodec.decode(message.getData(), topic);
        }
        Map<String, String> queryParams = new LinkedHashMap<>();
        List<String> params = headers.get("QueryParams");
        if (params != null) {
            for (String param : params) {
                int colon = param.indexOf(':');
                if (colon > 0) {
                    queryParams.put(param.substring(0, colon), param.substring(colon + 1));
                }
            }
        }
        int errorCode;
        try {
            String code = headers.getFirst("ErrorCode");
            errorCode = code == null ? 0 : Integer.parseInt(code.strip());
        } catch (NumberFormatException e) {
            throw new MalformedMessageException("the ErrorCode header is not a number", e);
        }
        return new Envelope(text(headers.getFirst("ApiVersion")), topic, text(headers.getFirst("X-Correlation-ID")),
                text(headers.getFirst("RequestId")), errorCode, message.getData(),
                text(headers.getFirst("Content-Type")), Map.copyOf(queryParams));
    }

    private static String text(String header) {
        return header == null ? "" : header;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, Envelope envelope) {
        Connection on = connection;
        if (on == null || closed) {
            return CompletableFuture.failedFuture(new IOException(this + " is not connected"));
        }
        NatsMessage.Builder message = NatsMessage.builder().subject(Topics.toSubject(topic));
        Headers headers = new Headers();
        if (natsFormat) {
            headers.put("Content-Type", envelope.contentType());
            headers.put("X-Correlation-ID", envelope.correlationId());
            headers.put("RequestId", envelope.requestId());
            headers.put("ApiVersion", envelope.apiVersion());
            headers.put("ErrorCode", Integer.toString(envelope.errorCode()));
            envelope.queryParams().forEach((key, value) -> headers.add("QueryParams", key + ":" + value));
            message.data(envelope.payload());
        } else {
            message.data(EnvelopeCodec.encode(envelope));
        }
        if (settings.flag("ExactlyOnce")) {
            headers.put("Nats-Msg-Id", on.getOptions().getConnectionName() + "-" + envelope.correlationId());
        }
        if (!headers.isEmpty()) {
            message.headers(headers);
        }
        try {
            if (jetStream) {
                return js.publishAsync(message.build()).thenApply(ack -> null);
            }
            on.publish(message.build());
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new IOException(this + ": " + e.getMessage(), e));
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread dial = dialling;
        if (dial != null) {
            dial.interrupt();
        }
        delivering.forEach(Thread::interrupt);
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return settings.type().text + " bus " + settings.protocol() + "://" + settings.host() + ":" + settings.port();
    }

    /** jnats' reports, through slf4j (its default listener writes to the console). */
    private final class LoggingErrors implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.warn("{}: {}", NatsBusClient.this, error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.debug("{}: {}", NatsBusClient.this, exp.toString());
            if (connection == null) {
                dialFailure = exp;
            }
        }
    }
}
