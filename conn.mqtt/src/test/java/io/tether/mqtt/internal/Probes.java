package io.tether.mqtt.internal;

import java.time.Duration;
import java.util.Arrays;

import org.eclipse.paho.client.mqttv3.MqttException;

/** Waits until sources receive a topic's messages (a live SUBSCRIBE is asynchronous), then empties their queues. */
final class Probes {
    private Probes() {
    }

    static void awaitReceiving(TestClient publisher, String topic, TestNode... nodes) {
        int[] sent = { 0 };
        Waits.until("the sources receive messages on " + topic, Waits.PATIENCE, () -> {
            try {
                publisher.publish(topic, "probe-" + sent[0]++, 1);
                Thread.sleep(50);
            } catch (MqttException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Arrays.stream(nodes).allMatch(node -> !node.received.isEmpty());
        });
        // probes still in flight arrive within this quiet time; then the queues start empty
        Waits.until("probes settle", Duration.ofSeconds(5), () -> {
            int before = Arrays.stream(nodes).mapToInt(node -> node.received.size()).sum();
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return before == Arrays.stream(nodes).mapToInt(node -> node.received.size()).sum();
        });
        Arrays.stream(nodes).forEach(TestNode::drain);
    }
}
