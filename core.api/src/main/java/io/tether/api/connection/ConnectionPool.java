package io.tether.api.connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The pool of connections, as a service. Sources, sinks and tests attach to connections; the REST API manages the
 * named ones. Every method returns at once: dialling happens in the background. Every method throws
 * {@link ConnectionPoolException}, with the reason, when it refuses a call.
 */
@ProviderType
public interface ConnectionPool {

    /** The prop that makes a consumer use the named connection with that id. */
    String CONNECTION_SELECTOR = "connectionSelector";

    /**
     * Attaches a consumer. With {@value #CONNECTION_SELECTOR} in props, the named connection with that id is used
     * (it must exist and be of type {@code typ}); otherwise the anonymous connection under {@code key} is used, or
     * created from props when there is none. The listener is called at once with the current status.
     *
     * @param refId    the consumer's reference id (e.g. a rule id), shown in the connection's refs
     * @param key      the anonymous connection's key; consumers asking with one key share one connection
     * @param typ      the connection type
     * @param props    the consumer's connection props
     * @param listener told of every status change while attached
     */
    ConnectionHandle attach(String refId, String key, String typ, Map<String, Object> props, StatusListener listener);

    /** Detaches a consumer; an anonymous connection is closed and removed with its last reference. Idempotent. */
    void detach(ConnectionHandle handle);

    /** Creates a named connection and starts dialling it. */
    ConnectionInfo create(String id, String typ, Map<String, Object> props);

    /**
     * Replaces a named connection's props (and type, when nothing references it). Masked secrets sent back keep the
     * stored values. A referenced connection is updated live: references and listeners stay attached.
     */
    ConnectionInfo update(String id, String typ, Map<String, Object> props);

    /** Deletes a named connection; deleting an unknown id does nothing. */
    void delete(String id);

    Optional<ConnectionInfo> get(String id);

    /**
     * @param includeAnonymous {@code true} to list anonymous connections too
     * @return the connections sorted by id
     */
    List<ConnectionInfo> list(boolean includeAnonymous);

    /** Tests props of a type for connectivity with a temporary connection; nothing is stored or kept open. */
    void check(String typ, Map<String, Object> props, Duration timeout);

    /** The connection types whose factories are installed now, sorted. */
    Set<String> installedTypes();

    /**
     * Checks props against the part of the JSON Schema that the type's bundle declares
     * ({@link ConnectorFactory#SCHEMA_PROPERTY}): names, types, required props, enumerations. The pool runs this
     * check itself for connections; the rule layer runs it for source and sink props.
     *
     * @return one entry per problem, naming the prop (a nested one as {@code outer.inner}); empty when the props
     *         conform, or when the type declares no schema
     * @since 1.2
     */
    List<PropError> validateProps(String typ, SchemaPart part, Map<String, Object> props);

    /**
     * Props as they may be shown (REST answers, rule status, logs): the values of secret props replaced by
     * {@code ******} — props the type declares secret (its schema's {@code writeOnly} props, otherwise its factory's
     * {@code secretProps()}; remembered while the type is absent), the names given, and
     * every name the pool's rules mark secret (e.g. {@code password}, {@code token}, {@code apiKey}) — and passwords
     * inside URL-shaped values masked, at any depth.
     *
     * @param typ         the connection, source or sink type the props belong to
     * @param secretNames further names to mask (a source or sink provider's {@code secretProps()})
     * @since 1.2
     */
    Map<String, Object> maskSecrets(String typ, Map<String, Object> props, Set<String> secretNames);

    /**
     * A text (an error message, a log line) with the passwords it may hold masked: inside URLs of any scheme
     * ({@code tcp://u:******@host}, {@code jdbc:...?password=******}) and in {@code password=...}-like parameters.
     *
     * @since 1.2
     */
    String maskSecrets(String text);
}
