package io.tether.rule.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.tether.api.io.SinkProvider;
import io.tether.api.io.SourceProvider;

/** A stream or rule naming a connector type whose bundle has not started yet, while the runtime starts. */
class ProvidersWhileTheRuntimeStartsTest {
    private final Providers providers = new Providers();

    @Test
    void aMissingSourceTypeIsAwaitedWhileTheRuntimeStarts() throws Exception {
        providers.runtimeStarting(true);
        CompletableFuture<Optional<SourceProvider>> awaited = CompletableFuture.supplyAsync(
                () -> providers.awaitSource("loop"));
        TimeUnit.MILLISECONDS.sleep(100);
        assertFalse(awaited.isDone(), "returned before the type came");
        FakeConnector connector = new FakeConnector();
        providers.addSource("loop", connector, 0, 1);
        assertSame(connector, awaited.get(10, TimeUnit.SECONDS).orElseThrow());
    }

    @Test
    void theEndOfTheStartReleasesThoseWaitingAndLaterLookupsDoNotWait() throws Exception {
        providers.runtimeStarting(true);
        CompletableFuture<Optional<SinkProvider>> awaited = CompletableFuture.supplyAsync(
                () -> providers.awaitSink("loop"));
        providers.runtimeStarting(false);
        assertTrue(awaited.get(10, TimeUnit.SECONDS).isEmpty());
        assertTrue(providers.awaitSink("loop").isEmpty());
    }
}
