package io.tether.pool.internal.rest;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.sse.OutboundSseEvent;
import javax.ws.rs.sse.Sse;
import javax.ws.rs.sse.SseEventSink;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.pool.internal.events.EventsConfiguration;
import io.tether.pool.internal.events.StatusEvent;
import io.tether.pool.internal.events.StatusEventLog;

/**
 * {@code GET /events}: the status events as Server-Sent Events (README, "Status events"). Not under
 * {@code /connections/}, where {@code events} is a valid connection id. A client gets a snapshot (or, resuming with
 * {@code Last-Event-ID}, what it missed), then every change, and a heartbeat comment when the stream is idle. Sending
 * only queues the event (CXF writes it on a thread of the HTTP server): a client with more than
 * {@code maxQueuedEvents} events unwritten is dropped, and closing its stream happens on this resource's own thread,
 * since CXF's close may wait for a stuck write.
 */
@Component(service = EventsResource.class, configurationPid = EventsConfiguration.PID)
@JaxrsResource
@JaxrsName("tether.events")
@Path("events")
public class EventsResource {
    static final String HEARTBEAT = "heartbeat";

    private final StatusEventLog log;
    private final int maxQueuedEvents;
    private final ScheduledThreadPoolExecutor executor;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final GaugeWithCallback clientGauge;
    private final CounterWithCallback droppedCounter;

    @Activate
    public EventsResource(@Reference StatusEventLog log, EventsConfiguration config) {
        this.log = log;
        this.maxQueuedEvents = config.maxQueuedEvents();
        executor = new ScheduledThreadPoolExecutor(1, eventsThread());
        executor.setRemoveOnCancelPolicy(true);
        long heartbeat = Math.max(1, config.heartbeatMillis());
        executor.scheduleWithFixedDelay(log::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        clientGauge = GaugeWithCallback.builder().name("tether_event_clients")
                .help("Clients connected to the status event stream (GET /events)")
                .callback(callback -> callback.call(log.clients()))
                .register(PrometheusRegistry.defaultRegistry);
        droppedCounter = CounterWithCallback.builder().name("tether_event_clients_dropped")
                .help("Clients of the status event stream dropped because they fell behind or were gone")
                .callback(callback -> callback.call(log.dropped()))
                .register(PrometheusRegistry.defaultRegistry);
    }

    @Deactivate
    void deactivate() {
        PrometheusRegistry.defaultRegistry.unregister(clientGauge);
        PrometheusRegistry.defaultRegistry.unregister(droppedCounter);
        for (Client client : clients) {
            log.unsubscribe(client);
            client.close();
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Context SseEventSink sink, @Context Sse sse,
            @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId) {
        Client client = new Client(sink, sse);
        clients.add(client);
        log.subscribe(lastEventId, client);
    }

    private final class Client implements StatusEventLog.Subscriber {
        private final SseEventSink sink;
        private final Sse sse;
        private final AtomicInteger queued = new AtomicInteger();

        Client(SseEventSink sink, Sse sse) {
            this.sink = sink;
            this.sse = sse;
        }

        @Override
        public boolean offer(StatusEvent event) {
            return send(sse.newEventBuilder()
                    .id(Long.toString(event.id()))
                    .name(event.name())
                    .mediaType(MediaType.TEXT_PLAIN_TYPE)
                    .data(String.class, event.json())
                    .build());
        }

        @Override
        public boolean heartbeat() {
            return send(sse.newEventBuilder().comment(HEARTBEAT).build());
        }

        @Override
        public void dropped() {
            close();
        }

        private boolean send(OutboundSseEvent event) {
            if (sink.isClosed() || queued.incrementAndGet() > maxQueuedEvents) {
                return false;
            }
            sink.send(event).whenComplete((sent, failure) -> {
                queued.decrementAndGet();
                if (failure != null) {
                    gone();
                }
            });
            return true;
        }

        /** The client went away (a write failed): the log forgets it, here or at its next event. */
        private void gone() {
            if (clients.remove(this)) {
                offThread(() -> {
                    log.unsubscribe(this);
                    sink.close();
                });
            }
        }

        void close() {
            if (clients.remove(this)) {
                offThread(sink::close);
            }
        }
    }

    private void offThread(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException stopping) {
            task.run();
        }
    }

    private static ThreadFactory eventsThread() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "tether-events-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
