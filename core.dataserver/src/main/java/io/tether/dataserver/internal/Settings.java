package io.tether.dataserver.internal;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The data listener's settings as configured ({@link DataServerConfig}): a configured value wins, then the framework
 * property {@code tether.dataserver.<name>}, then the default.
 */
record Settings(String address, int port, String certFile, String keyFile, String keyStore, String keyStorePassword,
        long maxBodyBytes, boolean cors, int maxThreads, long idleTimeoutMillis) {

    static final String PROPERTY_PREFIX = "tether.dataserver.";

    static Settings defaults() {
        return of(Map.of(), name -> null);
    }

    /**
     * @param configured the component's configuration
     * @param framework  reads a framework property, {@code null} when unset
     * @throws IllegalArgumentException naming a setting that is not a number where one is expected
     */
    static Settings of(Map<String, ?> configured, UnaryOperator<String> framework) {
        Reader read = new Reader(configured, framework);
        Settings settings = new Settings(read.text("address", "0.0.0.0"), (int) read.number("port", 10081),
                read.text("certFile", ""), read.text("keyFile", ""), read.text("keyStore", ""),
                read.text("keyStorePassword", ""), read.number("maxBodyBytes", 1024 * 1024),
                Boolean.parseBoolean(read.text("cors", "true")), (int) read.number("maxThreads", 64),
                read.number("idleTimeoutMillis", 30000));
        if (settings.port < 0 || settings.port > 65535) {
            throw new IllegalArgumentException("data server port " + settings.port + " is not between 0 and 65535");
        }
        if (settings.certFile.isEmpty() != settings.keyFile.isEmpty()) {
            throw new IllegalArgumentException("data server TLS needs both certFile and keyFile");
        }
        if (settings.maxThreads < 4) {
            throw new IllegalArgumentException("data server maxThreads must be at least 4, not " + settings.maxThreads);
        }
        return settings;
    }

    boolean tls() {
        return !certFile.isEmpty() || !keyStore.isEmpty();
    }

    /** Without the key store password. */
    @Override
    public String toString() {
        return (tls() ? "https://" : "http://") + address + ":" + port;
    }

    private record Reader(Map<String, ?> configured, UnaryOperator<String> framework) {
        String text(String name, String fallback) {
            Object value = configured.get(name);
            if (value == null) {
                value = framework.apply(PROPERTY_PREFIX + name);
            }
            return value == null ? fallback : value.toString().trim();
        }

        long number(String name, long fallback) {
            String text = text(name, Long.toString(fallback));
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("data server setting " + name + " is not a number: " + text);
            }
        }
    }
}
