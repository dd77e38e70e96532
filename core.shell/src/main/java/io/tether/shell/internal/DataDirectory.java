package io.tether.shell.internal;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * The runtime's data directory, found as the pool finds it: {@code dataDirectory} of the pool's configuration (PID
 * {@value #POOL_PID}), else the framework property {@code tether.data.dir}, the environment variable
 * {@code TETHER_DATA_DIR}, or {@code ./data}.
 */
public final class DataDirectory {
    public static final String POOL_PID = "io.tether.pool";

    /** What the shell reads of the pool's configuration. */
    public @interface Configuration {
        String dataDirectory() default "";
    }

    private DataDirectory() {
    }

    public static Path of(Configuration config, BundleContext context) {
        if (!config.dataDirectory().isBlank()) {
            return Path.of(config.dataDirectory());
        }
        String value = context.getProperty("tether.data.dir");
        if (value == null || value.isBlank()) {
            value = System.getenv("TETHER_DATA_DIR");
        }
        return Path.of(value == null || value.isBlank() ? "data" : value);
    }
}
