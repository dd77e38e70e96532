package io.tether.lib.mqtt;

/**
 * What a {@link BrokerClient} is made from. A connector reads its own props into this (conn.mqtt's {@code server},
 * {@code protocolVersion}..., conn.edgex's {@code optional.KeepAlive}...).
 *
 * @param server           {@code tcp://}, {@code ssl://}, {@code ws://} or {@code wss://} URL of the broker
 * @param clientId         {@code null} when the props name none (the connector makes one up)
 * @param username         {@code null} for none
 * @param password         {@code null} for none; never shown by {@link #toString()}
 * @param cleanSession     {@code false} for a persistent session (MQTT 5: one that never expires)
 * @param keepAliveSeconds the keep-alive interval; a link silent for about 1.2 times it is declared lost
 * @param maxInflight      MQTT 3: the most publishes waiting for the broker's acknowledgement
 * @param receiveMaximum   MQTT 5: the most QoS 1 and 2 messages the broker sends before the first is acknowledged
 */
public record MqttClientSettings(String server, ProtocolVersion protocolVersion, String clientId, String username,
        String password, boolean cleanSession, int keepAliveSeconds, int maxInflight, int receiveMaximum,
        TlsSettings tls) {

    public static final int DEFAULT_KEEP_ALIVE_SECONDS = 30;
    public static final int DEFAULT_MAX_INFLIGHT = 1000;
    /**
     * MQTT 5: how many QoS 1 and 2 messages the broker may send before the first is acknowledged. Each is acknowledged
     * once every rule it goes to has taken it, so this bounds what waits in the connection for slow rules.
     */
    public static final int DEFAULT_RECEIVE_MAXIMUM = 100;
    public static final int MAX_RECEIVE_MAXIMUM = 65535;
    private static final String MASK = "******";

    public boolean persistentSession() {
        return !cleanSession;
    }

    /**
     * A server URL as messages show it: the password of its userinfo ({@code tcp://user:pw@host}) replaced by
     * {@code ******}. The userinfo is taken to end at the last {@code @}, so that a password holding {@code @} or
     * {@code /} is masked whole (at worst more than the password is masked).
     */
    public static String masked(String server) {
        int at = server.lastIndexOf('@');
        if (at < 0) {
            return server;
        }
        int schemeEnd = server.indexOf("://");
        int userinfo = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
        int colon = server.indexOf(':', userinfo);
        if (colon < 0 || colon > at) {
            return server;
        }
        return server.substring(0, colon + 1) + MASK + server.substring(at);
    }

    @Override
    public String toString() {
        return "MqttClientSettings[" + masked(server) + ", " + protocolVersion + ", clientid " + clientId + "]";
    }
}
