package io.tether.edgex.internal;

import java.util.List;
import java.util.Map;

import io.tether.api.connection.PropError;
import io.tether.api.kit.NodeProps;

/**
 * An EdgeX sink's props, with eKuiper's defaults and messages: {@code topic} or {@code topicPrefix} (the topic is
 * then {@code <prefix>/<profile>/<device>/<source>}), else {@code application}; {@code messageType} event|request;
 * {@code contentType} (only {@code application/json} for events); {@code deviceName} [ekuiper], {@code profileName}
 * [ekuiperProfile], {@code sourceName} [the rule's id]; {@code metadata}, the record field holding EdgeX metadata to
 * reuse (as a source of this type puts it into its records' metadata).
 *
 * @param sourceName null for the rule's id
 */
record SinkSettings(String topic, String topicPrefix, MessageType messageType, String contentType, String deviceName,
        String profileName, String sourceName, String metadata, List<PropError> problems) {
    static final String DEFAULT_TOPIC = "application";

    static SinkSettings of(Map<String, Object> props) {
        NodeProps node = new NodeProps(props);
        String topic = node.string("topic", "");
        String topicPrefix = node.string("topicPrefix", "");
        if (!topic.isEmpty() && !topicPrefix.isEmpty()) {
            node.problem("topic", "not allow to specify both topic and topicPrefix, please set one only");
        }
        if (Topics.hasWildcard(topic)) {
            node.problem("topic", "the topic " + topic + " of a sink must not hold the wildcards + or #");
        }
        String typeText = node.string("messageType", "event");
        MessageType type = MessageType.of(typeText);
        if (type == null) {
            node.problem("messageType", "specified wrong messageType value " + typeText);
            type = MessageType.EVENT;
        }
        String contentType = node.string("contentType", Envelope.JSON);
        if (type == MessageType.EVENT && !Envelope.JSON.equals(contentType)) {
            node.problem("contentType", "specified wrong contentType value " + contentType
                    + ": only 'application/json' is supported if messageType is event");
        }
        String sourceName = node.string("sourceName", "");
        return new SinkSettings(topic, topicPrefix, type, contentType, node.string("deviceName", "ekuiper"),
                node.string("profileName", "ekuiperProfile"), sourceName.isEmpty() ? null : sourceName,
                node.string("metadata", ""), node.problems());
    }

    /** The topic of an event with these names. */
    String topicOf(String profile, String device, String source) {
        if (!topic.isEmpty()) {
            return topic;
        }
        return topicPrefix.isEmpty() ? DEFAULT_TOPIC : topicPrefix + "/" + profile + "/" + device + "/" + source;
    }
}
