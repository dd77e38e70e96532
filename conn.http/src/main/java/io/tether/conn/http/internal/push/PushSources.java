package io.tether.conn.http.internal.push;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

import io.tether.api.io.SourceContext;
import io.tether.api.kit.ConnectionScopes;

/**
 * The sources attached to each httppush connection id, shared by the factory's successive instances of the
 * connection (which fan requests out to them) and the source provider's sources (which join and leave).
 */
@Component(service = PushSources.class)
public final class PushSources {
    final ConnectionScopes<Set<SourceContext>> attached = new ConnectionScopes<>(id -> ConcurrentHashMap.newKeySet());
}
