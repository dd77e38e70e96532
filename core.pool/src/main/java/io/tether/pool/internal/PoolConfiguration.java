package io.tether.pool.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tether connection pool", description = "Dialling, pinging and storage of connections")
public @interface PoolConfiguration {
    String PID = "io.tether.pool";

    @AttributeDefinition(description = "First delay before re-dialling a failed connection, in ms")
    long backoffInitialMillis() default 100;

    @AttributeDefinition(description = "Factor by which the delay grows after each failed dial")
    double backoffMultiplier() default 1.5;

    @AttributeDefinition(description = "Longest delay between dials, in ms")
    long backoffMaxMillis() default 10_000;

    @AttributeDefinition(description = "How often a connected stateless connection is pinged, in ms")
    long pingIntervalMillis() default 5_000;

    @AttributeDefinition(description = "How long a ping may take before the connection counts as lost, in ms")
    long pingTimeoutMillis() default 2_000;

    @AttributeDefinition(min = "1", description = "How long a dial may take before it is abandoned (its thread interrupted, "
            + "its instance closed) and retried with backoff, in ms; a connection's prop dialTimeoutMillis overrides it")
    long dialTimeoutMillis() default 30_000;

    @AttributeDefinition(min = "1", description = "Most threads the pool runs dials, pings, closes and status notifications on "
            + "(plus one stand-in per abandoned dial or ping whose connector keeps its thread blocked)")
    int maxThreads() default 8;

    @AttributeDefinition(description = "Status lines (logger io.tether.connections) logged at INFO per connection "
            + "and minute; beyond them, lines go to DEBUG and one line with suppressed=<n> ends the minute; 0: no limit")
    int statusLogLinesPerMinute() default 10;

    @AttributeDefinition(description = "Where named connections are stored; empty: the framework property "
            + "tether.data.dir, the environment variable TETHER_DATA_DIR, or ./data")
    String dataDirectory() default "";

    @AttributeDefinition(description = "The runtime's home, holding etc/connections/connection.yaml; empty: the "
            + "framework property tether.home, the environment variable TETHER_HOME, or the working directory")
    String homeDirectory() default "";
}
