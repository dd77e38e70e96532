package io.tether.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tether HTTP edge", description = "Limits of the requests to the management API")
public @interface EdgeConfig {
    String PID = "io.tether.http";

    @AttributeDefinition(description = "Largest request body, in bytes; a larger one is answered 413 unread")
    long maxBodyBytes() default 1024 * 1024;

    @AttributeDefinition(description = "Longest request URI (path and query), in characters; a longer one is 414")
    int maxUriLength() default 4096;

    @AttributeDefinition(description = "How many requests from one client address may be sending a body at once; "
            + "more are answered 429")
    int maxBodiesPerClient() default 16;
}
