package io.tether.rule.internal.runtime;

/**
 * What the rule engine reads of the pool's configuration (PID {@code io.tether.pool}, core.pool's metatype), so
 * that both keep their files in the same directories.
 */
@interface EngineConfiguration {
    /** Empty: the framework property tether.data.dir, the environment variable TETHER_DATA_DIR, or ./data. */
    String dataDirectory() default "";

    /** Empty: the framework property tether.home, the environment variable TETHER_HOME, or the working directory. */
    String homeDirectory() default "";
}
