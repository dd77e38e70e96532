package io.tether.conn.http.internal.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tether.api.dataserver.EndpointRequest;
import io.tether.api.dataserver.EndpointResponse;
import io.tether.api.dataserver.HttpEndpointHandler;
import io.tether.api.io.Acceptance;
import io.tether.api.io.RawMessage;
import io.tether.api.io.Reservation;
import io.tether.api.io.SourceContext;

/**
 * One endpoint's requests, fanned out to every source attached to its connection. A request is answered 200 once
 * every attached rule took it, and goes to all of them or to none: room is reserved in each rule first (waiting at
 * most the connection's {@code timeout} in all), the body is decoded for each (the stream's FORMAT), and only then
 * handed on. So a client that retries after a 503 or a 400 causes no duplicate.
 */
final class PushEndpoint implements HttpEndpointHandler {
    static final String RETRY_AFTER_SECONDS = "1";

    private final PushSettings settings;
    private final Collection<SourceContext> sources;

    /** @param sources the sources attached to the connection, as they come and go */
    PushEndpoint(PushSettings settings, Collection<SourceContext> sources) {
        this.settings = settings;
        this.sources = sources;
    }

    @Override
    public EndpointResponse handle(EndpointRequest request) throws InterruptedException {
        List<SourceContext> attached = List.copyOf(sources);
        if (attached.isEmpty()) {
            return noRule();
        }
        RawMessage message = new RawMessage(request.body(), meta(request));
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        List<Reservation> held = new ArrayList<>(attached.size());
        try {
            for (SourceContext source : attached) {
                Reservation reservation = source.reserve(Duration.ofNanos(
                        Math.max(0, deadline - System.nanoTime())));
                if (reservation.acceptance() == Acceptance.DROPPED) {
                    return EndpointResponse.text(503, "rule " + source.ruleId() + " had no room for the data within "
                            + settings.timeout().toMillis() + " ms; nothing was delivered, retry later",
                            Map.of("Retry-After", RETRY_AFTER_SECONDS));
                }
                if (reservation.acceptance() == Acceptance.ACCEPTED) {
                    held.add(reservation);
                }
            }
            if (held.isEmpty()) {
                return noRule();
            }
            try {
                for (Reservation reservation : held) {
                    reservation.prepare(message);
                }
            } catch (IllegalArgumentException undecodable) {
                return EndpointResponse.text(400, "Fail to decode data: " + undecodable.getMessage());
            }
            for (Reservation reservation : held) {
                reservation.commit();
            }
            return EndpointResponse.text(200, "ok");
        } finally {
            held.forEach(Reservation::release);
        }
    }

    private static EndpointResponse noRule() {
        return EndpointResponse.text(503, "no rule is attached", Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    /** What a rule sees of the request besides its body: method, path, query and headers (first values). */
    private static Map<String, Object> meta(EndpointRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        return Map.of("method", request.method(), "path", request.path(), "query", request.query(),
                "headers", headers);
    }
}
