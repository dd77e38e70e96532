package io.tether.pool.internal.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.tether.api.connection.ConnectorFactory;

/**
 * The installed connector factories by type, best ranked first, and the prop names each type declares secret.
 * Changes are serialised by this object's monitor; lookups read immutable snapshots and take no lock. Declared
 * secret names outlive their factory (they are persisted), so that props stay masked while a type is absent.
 */
final class FactoryTable {
    private record RankedFactory(ConnectorFactory factory, int ranking, long serviceId) {
    }

    private static final Comparator<RankedFactory> BEST_FIRST = Comparator
            .comparingInt(RankedFactory::ranking).reversed()
            .thenComparingLong(RankedFactory::serviceId);

    private final Map<String, List<RankedFactory>> rankedByType = new HashMap<>();
    private volatile Map<String, ConnectorFactory> bestByType = Map.of();
    private volatile Map<String, Set<String>> secretPropsByType = Map.of();

    /** @return {@code true} when the type's declared secret names changed (they are then to be persisted) */
    synchronized boolean add(String typ, ConnectorFactory factory, int ranking, long serviceId) {
        List<RankedFactory> ranked = rankedByType.computeIfAbsent(typ, t -> new ArrayList<>());
        ranked.add(new RankedFactory(factory, ranking, serviceId));
        ranked.sort(BEST_FIRST);
        publishBest();
        Set<String> declared = Set.copyOf(factory.secretProps());
        if (declared.equals(secretPropsByType.get(typ)) || declared.isEmpty() && !secretPropsByType.containsKey(typ)) {
            return false;
        }
        Map<String, Set<String>> secrets = new HashMap<>(secretPropsByType);
        secrets.put(typ, declared);
        secretPropsByType = Map.copyOf(secrets);
        return true;
    }

    synchronized void remove(String typ, ConnectorFactory factory) {
        List<RankedFactory> ranked = rankedByType.getOrDefault(typ, List.of());
        ranked.removeIf(candidate -> candidate.factory() == factory);
        if (ranked.isEmpty()) {
            rankedByType.remove(typ);
        }
        publishBest();
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

    private void publishBest() {
        Map<String, ConnectorFactory> best = new HashMap<>();
        rankedByType.forEach((typ, ranked) -> best.put(typ, ranked.get(0).factory()));
        bestByType = Map.copyOf(best);
    }

    /** The best ranked factory of the type, {@code null} when none is installed. */
    ConnectorFactory best(String typ) {
        return bestByType.get(typ);
    }

    Set<String> installedTypes() {
        return new TreeSet<>(bestByType.keySet());
    }

    Set<String> secretProps(String typ) {
        return typ == null ? Set.of() : secretPropsByType.getOrDefault(typ, Set.of());
    }

    Map<String, Set<String>> declaredSecrets() {
        return secretPropsByType;
    }
}
