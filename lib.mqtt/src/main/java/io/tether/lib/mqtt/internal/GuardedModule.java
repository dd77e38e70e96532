package io.tether.lib.mqtt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * A Paho network module (MQTT 3 or 5: the two clients declare the same interface twice) whose start runs under a
 * connect's {@link PahoConnects.Attempt}, so that a close during the start closes its socket.
 */
final class GuardedModule implements org.eclipse.paho.client.mqttv3.internal.NetworkModule,
        org.eclipse.paho.mqttv5.client.internal.NetworkModule {

    /** A module's start, which throws its client's own MqttException. */
    private interface Start {
        void start() throws Exception;
    }

    private interface Stream<T> {
        T get() throws IOException;
    }

    private final Start start;
    private final PahoConnects.Stop stop;
    private final Stream<InputStream> input;
    private final Stream<OutputStream> output;
    private final Supplier<String> serverUri;
    private final PahoConnects.Attempt attempt;

    private GuardedModule(Start start, PahoConnects.Stop stop, Stream<InputStream> input, Stream<OutputStream> output,
            Supplier<String> serverUri, PahoConnects.Attempt attempt) {
        this.start = start;
        this.stop = stop;
        this.input = input;
        this.output = output;
        this.serverUri = serverUri;
        this.attempt = attempt;
    }

    static GuardedModule of(org.eclipse.paho.client.mqttv3.internal.NetworkModule module,
            PahoConnects.Attempt attempt) {
        return new GuardedModule(module::start, module::stop, module::getInputStream, module::getOutputStream,
                module::getServerURI, attempt);
    }

    static GuardedModule of(org.eclipse.paho.mqttv5.client.internal.NetworkModule module,
            PahoConnects.Attempt attempt) {
        return new GuardedModule(module::start, module::stop, module::getInputStream, module::getOutputStream,
                module::getServerURI, attempt);
    }

    /**
     * Declared with the one exception both interfaces allow; the module's MqttException passes unchanged (Paho's
     * connect thread catches it by its type and reports its reason code).
     */
    @Override
    public void start() throws IOException {
        attempt.starting(stop);
        try {
            start.start();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception pahoFailure) {
            throw GuardedModule.<RuntimeException>unchanged(pahoFailure);
        } finally {
            attempt.started();
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E unchanged(Exception failure) throws E {
        throw (E) failure;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return input.get();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return output.get();
    }

    @Override
    public void stop() throws IOException {
        stop.stop();
    }

    @Override
    public String getServerURI() {
        return serverUri.get();
    }
}
