package io.tether.api.connection;

import java.util.Locale;

/** The three states a connection reports, with their eKuiper metric values. */
public enum Status {
    CONNECTED(1),
    CONNECTING(0),
    DISCONNECTED(-1);

    private final int metricValue;

    Status(int metricValue) {
        this.metricValue = metricValue;
    }

    /** The value of the status gauge: connected 1, connecting 0, disconnected -1. */
    public int metricValue() {
        return metricValue;
    }

    /** The lower-case text used by the REST API: {@code connected}, {@code connecting}, {@code disconnected}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
