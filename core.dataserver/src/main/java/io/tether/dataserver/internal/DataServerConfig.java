package io.tether.dataserver.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The data listener's settings. A setting not configured falls back to the framework property
 * {@code tether.dataserver.<name>} (so that a launcher or a test can set it), then to the default.
 */
@ObjectClassDefinition(name = "Tether data server",
        description = "The listener for data pushed over HTTP and WebSocket (httppush, websocket server mode)")
public @interface DataServerConfig {
    String PID = "io.tether.dataserver";

    @AttributeDefinition(description = "Address to bind; 0.0.0.0 listens on every interface")
    String address() default "0.0.0.0";

    @AttributeDefinition(description = "Port to bind; 0 picks a free one")
    int port() default 10081;

    @AttributeDefinition(description = "TLS: a PEM certificate (chain) file; with keyFile, the listener is HTTPS",
            required = false)
    String certFile() default "";

    @AttributeDefinition(description = "TLS: the PEM private key (PKCS #8, unencrypted) of certFile", required = false)
    String keyFile() default "";

    @AttributeDefinition(description = "TLS: a PKCS #12 or JKS key store, instead of certFile and keyFile",
            required = false)
    String keyStore() default "";

    @AttributeDefinition(description = "TLS: the key store's password", type = AttributeType.PASSWORD,
            required = false)
    String keyStorePassword() default "";

    @AttributeDefinition(description = "Largest request body (and WebSocket message), in bytes; a larger body is "
            + "answered 413")
    long maxBodyBytes() default 1024 * 1024;

    @AttributeDefinition(description = "Answer CORS requests from any origin")
    boolean cors() default true;

    @AttributeDefinition(description = "Most requests handled at once (the listener's threads)")
    int maxThreads() default 64;

    @AttributeDefinition(description = "An idle connection is closed after this many milliseconds")
    long idleTimeoutMillis() default 30000;
}
