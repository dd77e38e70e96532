package io.tether.mqtt.internal;

import java.time.Duration;
import java.util.Arrays;

import org.eclipse.paho.client.mqttv3.MqttException;
import io.tether.testkit.Poll;
import io.tether.testkit.RecordingSourceContext;

/** Waits until sources receive a topic's messages (a live SUBSCRIBE is asynchronous), then empties their queues. */
final class Probes {
    private Probes() {
    }

    static void awaitReceiving(TestClient publisher, String topic, RecordingSourceContext... nodes) {
        int[] sent = { 0 };
        Poll.until("the sources receive messages on " + topic, Poll.PATIENCE, () -> {
            try {
                publisher.publish(topic, "probe-" + sent[0]++, 1);
                Thread.sleep(50);
            } catch (MqttException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Arrays.stream(nodes).allMatch(node -> !node.messages.isEmpty());
        });
        // probes still in flight arrive within this quiet time; then the queues start empty
        Poll.until("probes settle", Duration.ofSeconds(5), () -> {
            int before = Arrays.stream(nodes).mapToInt(node -> node.messages.size()).sum();
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return before == Arrays.stream(nodes).mapToInt(node -> node.messages.size()).sum();
        });
        Arrays.stream(nodes).forEach(RecordingSourceContext::drain);
    }
}
