package io.tether.pool.internal.events;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tether status events", description = "The status event stream, GET /events")
public @interface EventsConfiguration {
    String PID = "io.tether.events";

    @AttributeDefinition(description = "Milliseconds between two heartbeat comments on an idle stream")
    long heartbeatMillis() default 15_000;

    @AttributeDefinition(description = "How many recent events are kept for clients that resume with Last-Event-ID; "
            + "a client that comes back later gets a snapshot instead")
    int replayEvents() default 1024;

    @AttributeDefinition(description = "How many events may wait for one client; a client that falls further "
            + "behind is dropped (it reconnects and resumes)")
    int maxQueuedEvents() default 4096;
}
