package io.tether.pool.internal.registry;

import io.tether.pool.internal.schema.ConnectorSchema;

/**
 * Where a connector factory or a provider's schema comes from: its service's ranking and id (the best ranked, then
 * the oldest, serves a type), its bundle, and the props schema it names, {@code null} when none.
 */
public record Registration(int ranking, long serviceId, String bundle, String version, ConnectorSchema schema) {
}
