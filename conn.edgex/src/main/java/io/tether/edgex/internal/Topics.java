package io.tether.edgex.internal;

/**
 * EdgeX topics (MQTT style, {@code /} levels, {@code +} and {@code #} wildcards) as NATS subjects, as
 * go-mod-messaging maps them: {@code /} → {@code .}, {@code +} → {@code *}, {@code #} → {@code >}, and back.
 */
final class Topics {
    private Topics() {
    }

    static boolean hasWildcard(String topic) {
        return topic.contains("+") || topic.contains("#");
    }

    static String toSubject(String topic) {
        return topic.replace('/', '.').replace('+', '*').replace('#', '>');
    }

    static String toTopic(String subject) {
        return subject.replace('.', '/').replace('*', '+').replace('>', '#');
    }

    /**
     * The JetStream stream that go-mod-messaging provisions for a subject when no durable name is set: dots as
     * underscores, wildcards removed, trailing underscores trimmed ({@code edgex.>} → {@code edgex}).
     */
    static String streamName(String subject) {
        String name = subject.replace('.', '_').replace("*", "").replace(">", "");
        int end = name.length();
        while (end > 0 && name.charAt(end - 1) == '_') {
            end--;
        }
        return name.substring(0, end);
    }
}
