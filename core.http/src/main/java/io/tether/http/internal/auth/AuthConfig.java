package io.tether.http.internal.auth;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tether management API authentication",
        description = "Who may use the management API (REST, events, page); none by default")
public @interface AuthConfig {
    String PID = "io.tether.http.auth";

    @AttributeDefinition(description = "none, basic, jwt, or basic,jwt (either is accepted); "
            + "default: the framework property tether.auth, else none")
    String authentication() default "";

    @AttributeDefinition(description = "The users of Basic authentication: lines user:bcrypt-hash[:role] "
            + "(htpasswd -nB output); default <home>/etc/mgmt/users")
    String usersFile() default "";

    @AttributeDefinition(description = "Folder of the PEM public keys that sign JWTs (the token's iss names the "
            + "file); default <home>/etc/mgmt")
    String keyDirectory() default "";

    @AttributeDefinition(description = "The audience a JWT must name (aud)")
    String audience() default "tether";

    @AttributeDefinition(description = "Minutes a browser session (cookie set by POST /login) lasts after its "
            + "last use")
    int sessionMinutes() default 60;

    @AttributeDefinition(description = "Failed authentications (a wrong Basic password, a JWT refused) from one "
            + "client address within failureWindowSeconds after which that address is refused (429 with Retry-After) "
            + "for failureWindowSeconds; 0 turns the lock-out off")
    int maxFailedAuthentications() default 5;

    @AttributeDefinition(description = "Seconds over which failed authentications are counted, and how long an "
            + "address stays locked out")
    int failureWindowSeconds() default 300;

    @AttributeDefinition(description = "Client addresses whose failures are remembered at most; beyond that the "
            + "one heard from longest ago is forgotten")
    int maxTrackedAddresses() default 10000;
}
