package io.tether.api.connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Creates the connections of one type. A connector bundle registers an implementation as a service with the
 * property {@value #TYPE_PROPERTY} naming its type (lower case). The pool picks factories up and drops them as
 * bundles come and go.
 */
@ConsumerType
public interface ConnectorFactory {

    /** The service property that names the connection type a factory creates. */
    String TYPE_PROPERTY = "tether.connector.type";

    /**
     * Checks props synchronously, without touching the network.
     *
     * @return one entry per problem, empty when the props are valid
     */
    List<PropError> validate(Map<String, Object> props);

    /**
     * Checks props for the connection with the given id, for rules that involve other connections (e.g. a client id
     * another live connection already uses). The pool calls this one for every connection it creates or updates.
     *
     * @return one entry per problem, empty when the props are valid
     */
    default List<PropError> validate(String connectionId, Map<String, Object> props) {
        return validate(props);
    }

    /**
     * Creates a connection instance without opening it: the pool dials it on its own executor.
     *
     * @param props   props that {@link #validate} accepted
     * @param context the instance's id and status sink
     * @throws ConnectionException when the instance cannot even be created
     */
    Connection create(Map<String, Object> props, ConnectionContext context) throws ConnectionException;

    /** Names of props holding secrets, masked wherever the pool shows props (beyond the pool's own rules). */
    default Set<String> secretProps() {
        return Set.of();
    }

    /** {@code true} when {@link #check} can test props for connectivity. */
    default boolean supportsCheck() {
        return false;
    }

    /**
     * Opens a temporary connection with the props, closes it, and reports whether it worked. Nothing is kept.
     *
     * @throws ConnectionException with the reason when the connection cannot be made within the timeout
     */
    default void check(Map<String, Object> props, Duration timeout) throws ConnectionException {
        throw new UnsupportedOperationException("connectivity check");
    }
}
