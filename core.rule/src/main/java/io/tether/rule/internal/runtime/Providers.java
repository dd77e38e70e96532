package io.tether.rule.internal.runtime;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.tether.api.io.SinkProvider;
import io.tether.api.io.SourceProvider;
import io.tether.rule.internal.builtin.BuiltinSinkProvider;
import io.tether.rule.internal.builtin.SimulatorSourceProvider;

/** The source and sink types installed now: the built-in ones and those connector bundles register. */
final class Providers {
    private final Map<String, SourceProvider> sources = new ConcurrentHashMap<>();
    private final Map<String, SinkProvider> sinks = new ConcurrentHashMap<>();

    Providers() {
        sources.put(SimulatorSourceProvider.TYPE, new SimulatorSourceProvider());
        for (BuiltinSinkProvider sink : BuiltinSinkProvider.values()) {
            sinks.put(sink.type(), sink);
        }
    }

    void addSource(String type, SourceProvider provider) {
        sources.put(key(type), provider);
    }

    void removeSource(String type, SourceProvider provider) {
        sources.remove(key(type), provider);
    }

    void addSink(String type, SinkProvider provider) {
        sinks.put(key(type), provider);
    }

    void removeSink(String type, SinkProvider provider) {
        sinks.remove(key(type), provider);
    }

    Optional<SourceProvider> source(String type) {
        return Optional.ofNullable(sources.get(key(type)));
    }

    Optional<SinkProvider> sink(String type) {
        return Optional.ofNullable(sinks.get(key(type)));
    }

    Set<String> sourceTypes() {
        return new TreeSet<>(sources.keySet());
    }

    Set<String> sinkTypes() {
        return new TreeSet<>(sinks.keySet());
    }

    /** The reason a node of a missing type cannot run. */
    static String notInstalled(String type) {
        return "connector type '" + type + "' is not installed";
    }

    private static String key(String type) {
        return type.toLowerCase(Locale.ROOT);
    }
}
