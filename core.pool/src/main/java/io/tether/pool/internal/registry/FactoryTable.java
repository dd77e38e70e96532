package io.tether.pool.internal.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.tether.api.connection.ConnectorFactory;
import io.tether.api.kit.StartupArrivals;
import io.tether.pool.internal.schema.ConnectorSchema;

/**
 * The installed connector factories by type, best ranked first, the props schemas their bundles declare (on the
 * factories, or on source and sink providers of the type), and the prop names each type declares secret: its
 * schema's {@code writeOnly} props, else its factory's {@code secretProps()}. Changes are serialised by this object's
 * monitor; lookups read immutable snapshots and take no lock. Declared secret names outlive their factory (they are
 * persisted), so that props stay masked while a type is absent.
 */
final class FactoryTable {
    private record RankedFactory(ConnectorFactory factory, Registration registration) {
    }

    private record ProviderSchema(String typ, Registration registration) {
    }

    private static final Comparator<Registration> BEST_FIRST = Comparator
            .comparingInt(Registration::ranking).reversed()
            .thenComparingLong(Registration::serviceId);

    private final Map<String, List<RankedFactory>> rankedByType = new HashMap<>();
    private final Map<Long, ProviderSchema> providerSchemas = new HashMap<>();
    private volatile Map<String, RankedFactory> bestByType = Map.of();
    private volatile Map<String, ConnectorSchema> schemaByType = Map.of();
    private volatile Map<String, Set<String>> secretPropsByType = Map.of();
    private final StartupArrivals arrivals = new StartupArrivals();

    /** @return {@code true} when the type's declared secret names changed (they are then to be persisted) */
    synchronized boolean add(String typ, ConnectorFactory factory, Registration registration) {
        List<RankedFactory> ranked = rankedByType.computeIfAbsent(typ, t -> new ArrayList<>());
        ranked.add(new RankedFactory(factory, registration));
        ranked.sort(Comparator.comparing(RankedFactory::registration, BEST_FIRST));
        publish();
        arrivals.arrived();
        return declareSecrets(typ);
    }

    /**
     * While the runtime starts, connector bundles start after the management API (they are not needed for its
     * first answers), so a type missing then may be on its way.
     */
    void runtimeStarting(boolean starting) {
        arrivals.runtimeStarting(starting);
    }

    boolean runtimeStarting() {
        return arrivals.runtimeStarting();
    }

    /**
     * The best ranked factory of the type; while the runtime starts and the type is missing, waits for it, until the
     * start ends or {@code maxWait} passes. {@code null} when none is installed then.
     */
    ConnectorFactory awaitBest(String typ, Duration maxWait) {
        return arrivals.await(() -> Optional.ofNullable(best(typ)), maxWait).orElse(null);
    }

    synchronized void remove(String typ, ConnectorFactory factory) {
        List<RankedFactory> ranked = rankedByType.getOrDefault(typ, List.of());
        ranked.removeIf(candidate -> candidate.factory() == factory);
        if (ranked.isEmpty()) {
            rankedByType.remove(typ);
        }
        publish();
    }

    /**
     * A source or sink provider of the type registered with a schema.
     *
     * @return {@code true} when the type's declared secret names changed
     */
    synchronized boolean addProviderSchema(String typ, Registration registration) {
        providerSchemas.put(registration.serviceId(), new ProviderSchema(typ, registration));
        publish();
        return declareSecrets(typ);
    }

    synchronized void removeProviderSchema(long serviceId) {
        providerSchemas.remove(serviceId);
        publish();
    }

    /** The types under which the factory is installed. */
    synchronized List<String> typesOf(ConnectorFactory factory) {
        return rankedByType.entrySet().stream()
                .filter(byType -> byType.getValue().stream().anyMatch(ranked -> ranked.factory() == factory))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Declared secret names read from the store: kept for types whose factory has not declared its own yet. */
    synchronized void remember(Map<String, Set<String>> persisted) {
        Map<String, Set<String>> secrets = new HashMap<>(persisted);
        secrets.putAll(secretPropsByType);
        secretPropsByType = Map.copyOf(secrets);
    }

    private boolean declareSecrets(String typ) {
        ConnectorSchema schema = schemaByType.get(typ);
        RankedFactory best = bestByType.get(typ);
        Set<String> declared = Set.copyOf(schema != null ? schema.secretProps()
                : best != null ? best.factory().secretProps() : Set.of());
        if (declared.equals(secretPropsByType.get(typ)) || declared.isEmpty() && !secretPropsByType.containsKey(typ)) {
            return false;
        }
        Map<String, Set<String>> secrets = new HashMap<>(secretPropsByType);
        secrets.put(typ, declared);
        secretPropsByType = Map.copyOf(secrets);
        return true;
    }

    /** A type's schema is its best factory's; without one, its best ranked provider's. */
    private void publish() {
        Map<String, RankedFactory> best = new HashMap<>();
        rankedByType.forEach((typ, ranked) -> best.put(typ, ranked.get(0)));
        bestByType = Map.copyOf(best);
        Map<String, Registration> schemas = new HashMap<>();
        providerSchemas.values().forEach(provider -> schemas.merge(provider.typ(), provider.registration(),
                (a, b) -> BEST_FIRST.compare(a, b) <= 0 ? a : b));
        best.forEach((typ, factory) -> {
            if (factory.registration().schema() != null) {
                schemas.put(typ, factory.registration());
            }
        });
        Map<String, ConnectorSchema> byType = new HashMap<>();
        schemas.forEach((typ, registration) -> byType.put(typ, registration.schema()));
        schemaByType = Map.copyOf(byType);
    }

    /** The best ranked factory of the type, {@code null} when none is installed. */
    ConnectorFactory best(String typ) {
        RankedFactory best = bestByType.get(typ);
        return best == null ? null : best.factory();
    }

    Set<String> installedTypes() {
        return new TreeSet<>(bestByType.keySet());
    }

    /** Each installed type with the registration of its best factory, by type. */
    Map<String, Registration> installed() {
        Map<String, Registration> installed = new TreeMap<>();
        bestByType.forEach((typ, best) -> installed.put(typ, best.registration()));
        return installed;
    }

    Optional<ConnectorSchema> schema(String typ) {
        return typ == null ? Optional.empty() : Optional.ofNullable(schemaByType.get(typ));
    }

    Set<String> secretProps(String typ) {
        return typ == null ? Set.of() : secretPropsByType.getOrDefault(typ, Set.of());
    }

    Map<String, Set<String>> declaredSecrets() {
        return secretPropsByType;
    }
}
