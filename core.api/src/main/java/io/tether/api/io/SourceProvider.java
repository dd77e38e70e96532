package io.tether.api.io;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tether.api.connection.PropError;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Offers the sources of one type to the rule layer. Registered as a service with the property
 * {@value io.tether.api.connection.ConnectorFactory#TYPE_PROPERTY}, and with
 * {@value io.tether.api.connection.ConnectorFactory#SCHEMA_PROPERTY} naming the type's props schema, whose
 * {@code source} part the rule layer checks props against before {@link #validate}.
 */
@ConsumerType
public interface SourceProvider {

    /** Checks a source's props (its datasource included) without touching the network. */
    List<PropError> validate(String datasource, Map<String, Object> props);

    Source create(String datasource, Map<String, Object> props);

    /**
     * Names of props holding secrets (beyond the pool's own rules and the type's schema's {@code writeOnly} props), masked wherever the rule layer shows a source's
     * props: conf keys, stream definitions, rule status.
     *
     * @since 1.2
     */
    default Set<String> secretProps() {
        return Set.of();
    }
}
