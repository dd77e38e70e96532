package io.tether.lib.mqtt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MQTT topic filter arithmetic: matching, overlap, and the filters a client actually subscribes on the wire. A shared
 * subscription ({@code $share/<group>/<filter>}, MQTT 5 and most 3.1.1 brokers) matches what its filter matches.
 */
public final class TopicFilters {
    private static final String SHARE = "$share/";

    private TopicFilters() {
    }

    /** Why a topic filter is malformed, or null when it is fine. */
    public static String problem(String filter) {
        if (filter == null || filter.isEmpty()) {
            return "topic filter is empty";
        }
        if (isShared(filter)) {
            int slash = filter.indexOf('/', SHARE.length());
            String group = slash < 0 ? "" : filter.substring(SHARE.length(), slash);
            if (group.isEmpty() || hasWildcard(group)) {
                return "shared subscription " + filter
                        + " needs a group name without wildcards: $share/<group>/<filter>";
            }
            if (slash == filter.length() - 1) {
                return "shared subscription " + filter + " has no topic filter";
            }
            String shared = problem(filter.substring(slash + 1));
            return shared == null ? null : shared + " (in shared subscription " + filter + ")";
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#") && i != levels.length - 1) {
                return "'#' must be the last level of topic filter " + filter;
            }
            if (!level.equals("#") && !level.equals("+") && (level.contains("#") || level.contains("+"))) {
                return "a wildcard must fill a whole level of topic filter " + filter;
            }
        }
        return null;
    }

    /** Whether the filter is a shared subscription, {@code $share/<group>/<filter>}. */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE);
    }

    public static boolean hasWildcard(String topic) {
        return topic.indexOf('#') >= 0 || topic.indexOf('+') >= 0;
    }

    /** Whether the topic of a message matches the filter (MQTT 3.1.1 §4.7, including the {@code $} rule). */
    public static boolean matches(String filter, String topic) {
        if (isShared(filter)) {
            int slash = filter.indexOf('/', SHARE.length());
            return slash > 0 && matches(filter.substring(slash + 1), topic);
        }
        if (filter.equals(topic)) {
            return true;
        }
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i == t.length || !f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** Whether some topic matches both filters, so that a broker may deliver it once per filter. */
    public static boolean overlap(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        for (int i = 0; ; i++) {
            boolean xDone = i == x.length;
            boolean yDone = i == y.length;
            if (xDone && yDone) {
                return true;
            }
            if (xDone || yDone) {
                // "a/#" matches "a" too
                return !xDone && x[i].equals("#") || !yDone && y[i].equals("#");
            }
            if (i == 0 && (dollarAgainstWildcard(x[0], y[0]) || dollarAgainstWildcard(y[0], x[0]))) {
                return false;
            }
            if (x[i].equals("#") || y[i].equals("#")) {
                return true;
            }
            if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
                return false;
            }
        }
    }

    /** The narrowest filter built from the two that every topic of either matches. For overlapping filters. */
    public static String cover(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        List<String> levels = new ArrayList<>();
        for (int i = 0; ; i++) {
            if (i == x.length && i == y.length) {
                break;
            }
            if (i == x.length || i == y.length || x[i].equals("#") || y[i].equals("#")) {
                levels.add("#");
                break;
            }
            levels.add(x[i].equals(y[i]) ? x[i] : "+");
        }
        return String.join("/", levels);
    }

    /**
     * The subscriptions to make on the wire for the filters consumers asked for: overlapping filters are merged into
     * one that covers them (with the highest of their QoS), so that a broker never sends one message twice to the
     * client (Mosquitto 2 does, once per matching subscription, for MQTT 3.1.1). Messages are routed to consumers by
     * their own filters, so a wider wire filter delivers nothing more to them. Deterministic for a given order.
     * Shared subscriptions go on the wire as they are: merging one would change which group members get what. (A
     * shared and a plain filter matching one topic still bring such a message twice, once per subscription.)
     */
    public static Map<String, Integer> wireSubscriptions(Map<String, Integer> wanted) {
        Map<String, Integer> wire = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> entry : wanted.entrySet()) {
            String filter = entry.getKey();
            int qos = entry.getValue();
            if (isShared(filter)) {
                wire.merge(filter, qos, Math::max);
                continue;
            }
            boolean merged = true;
            while (merged) {
                merged = false;
                for (Map.Entry<String, Integer> existing : wire.entrySet()) {
                    if (!isShared(existing.getKey()) && overlap(existing.getKey(), filter)) {
                        wire.remove(existing.getKey());
                        filter = cover(existing.getKey(), filter);
                        qos = Math.max(qos, existing.getValue());
                        merged = true;
                        break;
                    }
                }
            }
            wire.put(filter, qos);
        }
        return wire;
    }

    private static boolean dollarAgainstWildcard(String topicLevel, String filterLevel) {
        return topicLevel.startsWith("$") && (filterLevel.equals("+") || filterLevel.equals("#"));
    }
}
