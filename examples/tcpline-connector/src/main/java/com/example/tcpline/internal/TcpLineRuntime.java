package com.example.tcpline.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;

import io.tether.api.kit.ConnectionScopes;

/**
 * What the bundle's factory and providers share: per connection id, the sources listening to it. A source adds
 * itself there, not to one connection instance, so that the instance that replaces it (after an update, a re-dial
 * on a timeout, the type's return) serves it too.
 */
@Component(service = TcpLineRuntime.class)
public final class TcpLineRuntime {
    final ConnectionScopes<Set<Consumer<String>>> listeners =
            new ConnectionScopes<>(id -> ConcurrentHashMap.newKeySet());
}
