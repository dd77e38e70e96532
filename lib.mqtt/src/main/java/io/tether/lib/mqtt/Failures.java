package io.tether.lib.mqtt;

/** Texts for failures, as users read them in a connection's {@code err}. */
public final class Failures {

    private Failures() {
    }

    /** The message of a failure and of its causes, e.g. {@code Unable to connect to server (32103): Connection refused}. */
    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        Throwable current = failure;
        while (current != null && text.length() < 500) {
            String message = messageOf(current);
            if (message != null && !text.toString().contains(message)) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(message);
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return text.length() == 0 ? failure.getClass().getSimpleName() : text.toString();
    }

    private static String messageOf(Throwable failure) {
        String message = failure.getMessage();
        if (failure instanceof org.eclipse.paho.client.mqttv3.MqttException e) {
            return (message == null ? "MQTT error" : message) + " (" + e.getReasonCode() + ")";
        }
        if (failure instanceof org.eclipse.paho.mqttv5.common.MqttException e) {
            return (message == null ? "MQTT error" : message) + " (" + e.getReasonCode() + ")";
        }
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        return message;
    }
}
