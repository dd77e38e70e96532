package io.tether.rule.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.tether.api.connection.ConnectorNotInstalledException;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.SourceProvider;
import io.tether.api.kit.StartupArrivals;
import io.tether.rule.internal.builtin.BuiltinSinkProvider;
import io.tether.rule.internal.builtin.SimulatorSourceProvider;

/**
 * The source and sink types installed now: the built-in ones and those connector bundles register. When several
 * providers offer one type, the one with the highest service ranking (then the oldest) serves it, as OSGi picks a
 * service; the others stand by.
 */
final class Providers {
    /** How long a request naming a type that is not installed waits for it while the runtime starts. */
    private static final Duration STARTING_TYPE_WAIT = Duration.ofSeconds(30);

    private final Candidates<SourceProvider> sources = new Candidates<>();
    private final Candidates<SinkProvider> sinks = new Candidates<>();
    private final StartupArrivals arrivals = new StartupArrivals();

    Providers() {
        sources.add(SimulatorSourceProvider.TYPE, new SimulatorSourceProvider(), 0, 0);
        for (BuiltinSinkProvider sink : BuiltinSinkProvider.values()) {
            sinks.add(sink.type(), sink, 0, 0);
        }
    }

    /** While the runtime starts, connector bundles start after the management API: a type missing then may come. */
    void runtimeStarting(boolean starting) {
        arrivals.runtimeStarting(starting);
    }

    /** @return whether the provider serving the type changed */
    boolean addSource(String type, SourceProvider provider, int ranking, long serviceId) {
        boolean changed = sources.add(type, provider, ranking, serviceId);
        arrivals.arrived();
        return changed;
    }

    /**
     * The type's best source provider; while the runtime starts and the type is missing, waits for it until the
     * start ends or {@link #STARTING_TYPE_WAIT} passes. Callers hold no lock a provider's arrival needs.
     */
    Optional<SourceProvider> awaitSource(String type) {
        return arrivals.await(() -> source(type), STARTING_TYPE_WAIT);
    }

    /** As {@link #awaitSource}, for sinks. */
    Optional<SinkProvider> awaitSink(String type) {
        return arrivals.await(() -> sink(type), STARTING_TYPE_WAIT);
    }

    /** @return whether the provider serving the type changed (to another one, or to none) */
    boolean removeSource(String type, SourceProvider provider) {
        return sources.remove(type, provider);
    }

    boolean addSink(String type, SinkProvider provider, int ranking, long serviceId) {
        boolean changed = sinks.add(type, provider, ranking, serviceId);
        arrivals.arrived();
        return changed;
    }

    boolean removeSink(String type, SinkProvider provider) {
        return sinks.remove(type, provider);
    }

    Optional<SourceProvider> source(String type) {
        return sources.best(type);
    }

    Optional<SinkProvider> sink(String type) {
        return sinks.best(type);
    }

    Set<String> sourceTypes() {
        return sources.types();
    }

    Set<String> sinkTypes() {
        return sinks.types();
    }

    /** The reason a node of a missing type cannot run. */
    static String notInstalled(String type) {
        return "connector type '" + type + "' is not installed";
    }

    /**
     * The connection type the pool refused for want of its factory, when that is what the failure (or one of its
     * causes) is; otherwise null.
     */
    static String missingConnectionType(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectorNotInstalledException missing) {
                return missing.type();
            }
        }
        return null;
    }

    /** The providers of each type, best first. */
    private static final class Candidates<P> {
        private record Candidate<P>(P provider, int ranking, long serviceId) {
        }

        private static final Comparator<Candidate<?>> BEST_FIRST = Comparator
                .comparingInt((Candidate<?> candidate) -> candidate.ranking()).reversed()
                .thenComparingLong(Candidate::serviceId);

        private final Map<String, List<Candidate<P>>> byType = new ConcurrentHashMap<>();

        synchronized boolean add(String type, P provider, int ranking, long serviceId) {
            List<Candidate<P>> candidates = new ArrayList<>(byType.getOrDefault(key(type), List.of()));
            P before = candidates.isEmpty() ? null : candidates.get(0).provider();
            candidates.add(new Candidate<>(provider, ranking, serviceId));
            candidates.sort(BEST_FIRST);
            byType.put(key(type), List.copyOf(candidates));
            return candidates.get(0).provider() != before;
        }

        synchronized boolean remove(String type, P provider) {
            List<Candidate<P>> candidates = new ArrayList<>(byType.getOrDefault(key(type), List.of()));
            if (candidates.isEmpty()) {
                return false;
            }
            P before = candidates.get(0).provider();
            candidates.removeIf(candidate -> candidate.provider() == provider);
            if (candidates.isEmpty()) {
                byType.remove(key(type));
                return true;
            }
            byType.put(key(type), List.copyOf(candidates));
            return candidates.get(0).provider() != before;
        }

        Optional<P> best(String type) {
            List<Candidate<P>> candidates = byType.get(key(type));
            return candidates == null ? Optional.empty() : Optional.of(candidates.get(0).provider());
        }

        Set<String> types() {
            return new TreeSet<>(byType.keySet());
        }
    }

    private static String key(String type) {
        return type.toLowerCase(Locale.ROOT);
    }
}
