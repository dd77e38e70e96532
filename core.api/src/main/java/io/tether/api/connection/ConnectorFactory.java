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
     * The service property naming the JSON Schema of a type's props: the path of a resource in the registering
     * bundle, e.g. {@code OSGI-INF/tether/schema/mqtt.json}. Put it on the type's {@code ConnectorFactory},
     * {@code SourceProvider} and {@code SinkProvider} registrations alike. The document (draft 2020-12 or draft-07)
     * is an object schema whose {@code properties} {@code connection}, {@code source} and {@code sink} describe the
     * props of each, with types, {@code required}, {@code enum}, {@code default} and nested objects. The pool
     * validates props against it before the connector's own {@link #validate}, masks every prop the document marks
     * {@code "writeOnly": true} (at any depth; {@link #secretProps()} is then not consulted) and serves it at
     * {@code GET /metadata/connections/<typ>}. Props the schema does not list are allowed unless it says otherwise.
     *
     * @since 1.2
     */
    String SCHEMA_PROPERTY = "tether.connector.schema";

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

    /**
     * Names of props holding secrets, masked wherever the pool shows props (beyond the pool's own rules). Used only
     * by factories registered without a {@link #SCHEMA_PROPERTY schema}: a schema's {@code writeOnly} props are the
     * type's secrets.
     */
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
