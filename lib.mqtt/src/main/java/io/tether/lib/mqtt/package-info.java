/**
 * An MQTT client for connector bundles that speak MQTT to a broker or a bus (conn.mqtt, conn.edgex), on Eclipse Paho
 * (MQTT 3.1, 3.1.1 and 5), which the bundle embeds privately: no Paho type appears here.
 * <ul>
 * <li>{@link io.tether.lib.mqtt.BrokerClient}: one client made from {@link io.tether.lib.mqtt.MqttClientSettings}
 * (server, protocol version, credentials, TLS, keep-alive): connect bounded by a time limit and aborted by a close,
 * subscribe with QoS (shared subscriptions included), publish with an outcome, QoS 1 acknowledgements sent by hand
 * once a message is handed on, only on the link it came on.</li>
 * <li>{@link io.tether.lib.mqtt.Subscriptions}: the topic filters of a connection's consumers, restored at every new
 * session, and the routing of arriving messages to them.</li>
 * <li>{@link io.tether.lib.mqtt.Dispatcher}: hands arriving messages on in arrival order, off the client's threads,
 * on {@link io.tether.lib.mqtt.ClientThreads} shared by a bundle's connections.</li>
 * <li>{@link io.tether.lib.mqtt.ClientIds}, {@link io.tether.lib.mqtt.TopicFilters},
 * {@link io.tether.lib.mqtt.Failures}: client ids in use, topic filter arithmetic, failure texts.</li>
 * </ul>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.tether.lib.mqtt;
