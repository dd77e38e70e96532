package io.tether.lib.mqtt.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs a Paho client's keep-alive check on a shared scheduler, at least every tenth of the keep-alive interval.
 * Paho declares a link dead at the first check that finds its PINGREQ unanswered for a keep-alive interval; with its
 * own schedule (checks a keep-alive apart) that is up to 2 × keepAlive after the last packet, with this one at most
 * 1.2 × keepAlive (SPEC §9: noticed within 1.5 ×). Pings are still sent only after a keep-alive of silence.
 * It is the ping sender of either client (the two declare the same interface twice).
 */
final class KeepAliveWatchdog implements org.eclipse.paho.client.mqttv3.MqttPingSender,
        org.eclipse.paho.mqttv5.client.MqttPingSender {
    private static final long MIN_CHECK_MILLIS = 20;

    private final ScheduledExecutorService scheduler;
    /** Set by init, before the client connects. */
    private LongSupplier keepAliveMillis;
    private Runnable check;
    private ScheduledFuture<?> next;
    private boolean running;

    KeepAliveWatchdog(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public synchronized void init(org.eclipse.paho.client.mqttv3.internal.ClientComms comms) {
        keepAliveMillis = comms::getKeepAlive;
        check = comms::checkForActivity;
    }

    @Override
    public synchronized void init(org.eclipse.paho.mqttv5.client.internal.ClientComms comms) {
        keepAliveMillis = comms::getKeepAlive;
        check = comms::checkForActivity;
    }

    @Override
    public synchronized void start() {
        running = true;
        cancel();
        schedule(keepAliveMillis.getAsLong());
    }

    @Override
    public synchronized void stop() {
        running = false;
        cancel();
    }

    /** Paho asks for the next check after {@code delayMillis}; it comes sooner when that is more than a tenth. */
    @Override
    public synchronized void schedule(long delayMillis) {
        if (!running) {
            return;
        }
        long delay = Math.max(MIN_CHECK_MILLIS, Math.min(delayMillis, keepAliveMillis.getAsLong() / 10));
        try {
            next = scheduler.schedule(check, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            running = false;
        }
    }

    private void cancel() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }
}
