package io.tether.pool.internal.schema;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** The installed connection types and their props schemas, for {@code /metadata/connections}. */
public interface ConnectorCatalog {

    /** An installed type and the bundle of the factory serving it. */
    record ConnectorType(String typ, String bundle, String version) {
    }

    /** @return the installed types, sorted */
    List<ConnectorType> types();

    /** The type's schema document as its bundle ships it; empty when the type declares none or is unknown. */
    Optional<JsonNode> schema(String typ);
}
