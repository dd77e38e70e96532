package io.tether.pool.internal.schema;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;

import io.tether.api.connection.PropError;
import io.tether.api.connection.SchemaPart;

/**
 * One connection type's props schema, as its bundle ships it ({@code ConnectorFactory.SCHEMA_PROPERTY}): a JSON
 * Schema whose properties {@code connection}, {@code source} and {@code sink} describe the props of each. Props are
 * validated by the whole document (so that {@code $ref}s into its {@code $defs} resolve) as
 * {@code {"<part>": props}}; the secrets are the names of the props marked {@code writeOnly}, at any depth.
 * Immutable and thread-safe.
 */
public final class ConnectorSchema {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Documents without {@code $schema} are read as draft 2020-12; {@code $schema} may name draft-07 and others. */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final JsonNode document;
    private final Schema schema;
    private final Set<String> secretProps;

    private ConnectorSchema(JsonNode document, Schema schema, Set<String> secretProps) {
        this.document = document;
        this.schema = schema;
        this.secretProps = secretProps;
    }

    /**
     * @param location where the document comes from, for messages (e.g. {@code tether.conn.mqtt/OSGI-INF/...})
     * @throws IOException when the document is not JSON, not a JSON Schema, or not an object schema
     */
    public static ConnectorSchema read(InputStream in, String location) throws IOException {
        JsonNode document = MAPPER.readTree(in);
        if (document == null || !document.isObject()) {
            throw new IOException(location + " is not a JSON object");
        }
        if (!document.path("properties").isObject()) {
            throw new IOException(location + " has no properties (connection, source, sink)");
        }
        String dialect = document.path("$schema").asText(SpecificationVersion.DRAFT_2020_12.getDialectId());
        try {
            List<Error> invalid = REGISTRY.getSchema(SchemaLocation.of(dialect)).validate(document);
            if (!invalid.isEmpty()) {
                throw new IOException(location + " is not a valid JSON Schema: " + invalid.get(0));
            }
            Schema schema = REGISTRY.getSchema(SchemaLocation.of("urn:tether:schema:" + location.replace(' ', '_')),
                    document);
            schema.initializeValidators();
            return new ConnectorSchema(document, schema, Set.copyOf(writeOnlyNames(document, new TreeSet<>())));
        } catch (SchemaException | IllegalArgumentException e) {
            throw new IOException(location + " is not a valid JSON Schema: " + e.getMessage(), e);
        }
    }

    /** The document as the bundle ships it. */
    public JsonNode document() {
        return document;
    }

    /** The names of the props marked {@code writeOnly}, in any part and at any depth. */
    public Set<String> secretProps() {
        return secretProps;
    }

    /** The props' problems against the part; a prop in error is named by its path below the part, {@code a.b}. */
    public List<PropError> validate(SchemaPart part, Map<String, Object> props) {
        ObjectNode instance = JsonNodeFactory.instance.objectNode();
        instance.set(part.key(), MAPPER.valueToTree(props == null ? Map.of() : props));
        List<PropError> problems = new ArrayList<>();
        for (Error error : schema.validate(instance)) {
            problems.add(new PropError(propName(error), error.getMessage()));
        }
        return problems;
    }

    /** The path below the part, the missing prop's included for {@code required}. */
    private static String propName(Error error) {
        List<String> names = new ArrayList<>();
        NodePath location = error.getInstanceLocation();
        for (int i = 1; i < location.getNameCount(); i++) {
            names.add(String.valueOf(location.getElement(i)));
        }
        if (error.getProperty() != null && "required".equals(error.getKeyword())) {
            names.add(error.getProperty());
        }
        return String.join(".", names);
    }

    private static Set<String> writeOnlyNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            JsonNode properties = node.get("properties");
            if (properties != null && properties.isObject()) {
                properties.fields().forEachRemaining(property -> {
                    if (property.getValue().path("writeOnly").asBoolean(false)) {
                        names.add(property.getKey());
                    }
                });
            }
            for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
                writeOnlyNames(children.next(), names);
            }
        } else if (node.isArray()) {
            node.forEach(child -> writeOnlyNames(child, names));
        }
        return names;
    }
}
