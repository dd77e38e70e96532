package io.tether.edgex.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.UUID;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

/**
 * A device service on a NATS bus, publishing as go-mod-messaging does: with {@code Format: nats} the AddEventRequest
 * is the message data and the envelope's fields are headers; with {@code json} the whole envelope is the data.
 */
final class Device implements AutoCloseable {
    final Connection nats;

    Device(int port) throws IOException, InterruptedException {
        this(new Options.Builder().server("nats://127.0.0.1:" + port).build());
    }

    Device(Options options) throws IOException, InterruptedException {
        nats = Nats.connect(options);
    }

    /** An AddEventRequest with one Int64 reading {@code value} and one String reading {@code marker}. */
    static String addEventRequest(String marker, long value) {
        return "{\"apiVersion\":\"v3\",\"requestId\":\"" + UUID.randomUUID() + "\",\"event\":{\"apiVersion\":\"v3\","
                + "\"id\":\"" + UUID.randomUUID() + "\",\"deviceName\":\"dev\",\"profileName\":\"prof\",\"sourceName\":\"src\","
                + "\"origin\":1700000000000000000,\"readings\":[{\"id\":\"" + UUID.randomUUID() + "\",\"origin\":1700000000000000000,"
                + "\"deviceName\":\"dev\",\"resourceName\":\"value\",\"profileName\":\"prof\",\"valueType\":\"Int64\",\"value\":\""
                + value + "\"},{\"id\":\"" + UUID.randomUUID() + "\",\"origin\":1700000000000000000,\"deviceName\":\"dev\","
                + "\"resourceName\":\"marker\",\"profileName\":\"prof\",\"valueType\":\"String\",\"value\":\"" + marker + "\"}]}}";
    }

    void publishHeaders(String topic, String payload) {
        Headers headers = new Headers();
        headers.put("Content-Type", "application/json");
        headers.put("X-Correlation-ID", UUID.randomUUID().toString());
        headers.put("RequestId", UUID.randomUUID().toString());
        headers.put("ApiVersion", "v3");
        headers.put("ErrorCode", "0");
        nats.publish(NatsMessage.builder().subject(Topics.toSubject(topic)).headers(headers).data(payload.getBytes(UTF_8))
                .build());
    }

    void publishJson(String topic, String payload) {
        Envelope envelope = new Envelope("v3", "", UUID.randomUUID().toString(), UUID.randomUUID().toString(), 0,
                payload.getBytes(UTF_8), "application/json", java.util.Map.of());
        nats.publish(Topics.toSubject(topic), EnvelopeCodec.encode(envelope));
    }

    @Override
    public void close() throws InterruptedException {
        nats.close();
    }
}
