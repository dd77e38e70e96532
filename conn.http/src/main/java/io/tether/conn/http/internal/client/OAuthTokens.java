package io.tether.conn.http.internal.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.api.connection.ConnectionException;
import io.tether.conn.http.internal.client.OAuthSettings.TokenRequest;

/**
 * The tokens of one connection instance: obtained from {@code access} at first use, renewed (by {@code refresh} when
 * there is one, else by {@code access} again) once three quarters of their life have passed, so that a request
 * never goes out with a token about to expire. One renewal at a time: requests meanwhile wait for it. No thread of
 * its own: a renewal runs when a request (or the pool's ping) needs the tokens. Never shown, never logged.
 */
final class OAuthTokens {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private record Current(Map<String, Object> fields, long obtainedNanos, Duration lifetime) {
        boolean dueForRenewal(long now) {
            return lifetime != null && now - obtainedNanos >= lifetime.toNanos() / 4 * 3;
        }

        boolean expired(long now) {
            return lifetime != null && now - obtainedNanos >= lifetime.toNanos();
        }
    }

    private final OAuthSettings settings;
    private final LongSupplier nanoTime;
    private final Function<HttpRequest, CompletableFuture<HttpResponse<byte[]>>> exchange;
    /** Guarded by this. */
    private Current current;
    /** Guarded by this. */
    private CompletableFuture<Map<String, Object>> renewal;

    /** @param exchange sends a token request (bounded by the connection's timeout) */
    OAuthTokens(OAuthSettings settings, Function<HttpRequest, CompletableFuture<HttpResponse<byte[]>>> exchange,
            LongSupplier nanoTime) {
        this.settings = settings;
        this.exchange = exchange;
        this.nanoTime = nanoTime;
    }

    /** The fields of the token answer, renewed first when due; fails with a {@link ConnectionException}. */
    CompletableFuture<Map<String, Object>> fields() {
        long now = nanoTime.getAsLong();
        synchronized (this) {
            if (current != null && !current.dueForRenewal(now)) {
                return CompletableFuture.completedFuture(current.fields());
            }
            CompletableFuture<Map<String, Object>> renewing = renewal;
            if (renewing == null) {
                Current before = current;
                CompletableFuture<Map<String, Object>> started = renew(before, now)
                        .exceptionallyCompose(failure -> stillValid(before, failure));
                renewal = started;
                started.whenComplete((fields, failure) -> renewed(started));
                renewing = started;
            }
            return renewing.copy();
        }
    }

    /** Forgets the tokens (the server refused them): the next request obtains new ones. */
    synchronized void invalidate() {
        current = null;
    }

    private CompletableFuture<Map<String, Object>> renew(Current before, long now) {
        if (before == null || settings.refresh() == null || before.expired(now)) {
            return obtain(settings.access(), Map.of(), "access");
        }
        return obtain(settings.refresh(), before.fields(), "refresh").exceptionallyCompose(failure -> {
            LOG.warn("oauth token refresh ({}) failed: {}; asking {} for new tokens", settings.refresh().shown(),
                    reason(failure), settings.access().shown());
            return obtain(settings.access(), Map.of(), "access");
        });
    }

    private synchronized void renewed(CompletableFuture<Map<String, Object>> renewing) {
        if (renewal == renewing) {
            renewal = null;
        }
    }

    /** After a failed renewal, the current tokens while they last; the next request tries to renew again. */
    private CompletableFuture<Map<String, Object>> stillValid(Current before, Throwable failure) {
        if (before == null || before.expired(nanoTime.getAsLong())) {
            return CompletableFuture.failedFuture(failure);
        }
        LOG.warn("oauth tokens could not be renewed ({}); the current ones are used until they expire",
                reason(failure));
        return CompletableFuture.completedFuture(before.fields());
    }

    /** Sends a token request; its answer (a JSON object) is merged into the fields it was rendered with. */
    private CompletableFuture<Map<String, Object>> obtain(TokenRequest request, Map<String, Object> fields,
            String what) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.url());
        Function<String, Object> lookup = Placeholders.in(fields);
        boolean contentType = false;
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            String value = Placeholders.render(header.getValue(), lookup);
            if (value != null) {
                builder.header(header.getKey(), value);
                contentType |= header.getKey().equalsIgnoreCase("Content-Type");
            }
        }
        String body = request.body() == null ? null : Placeholders.render(request.body(), lookup);
        if (body != null && !body.isEmpty() && !contentType) {
            builder.header("Content-Type", "application/json");
        }
        builder.POST(body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, UTF_8));
        long sent = nanoTime.getAsLong();
        return exchange.apply(builder.build()).handle((response, failure) -> {
            if (failure != null) {
                throw new CompletionException(ConnectionException.io("oauth " + what + " token request ("
                        + request.shown() + ") failed: " + HttpFailures.describe(failure), null));
            }
            return answer(request, what, response, fields, sent);
        });
    }

    private Map<String, Object> answer(TokenRequest request, String what, HttpResponse<byte[]> response,
            Map<String, Object> fields, long sent) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String message = "oauth " + what + " token request (" + request.shown() + ") answered HTTP " + status;
            throw new CompletionException(status >= 500 || status == 408 || status == 429
                    ? ConnectionException.io(message, null) : ConnectionException.permanent(message, null));
        }
        Map<String, Object> answer;
        try {
            answer = JSON.readValue(response.body(), OBJECT);
        } catch (IOException e) {
            throw new CompletionException(ConnectionException.permanent("oauth " + what + " token request ("
                    + request.shown() + ") answered no JSON object", null));
        }
        Map<String, Object> merged = new LinkedHashMap<>(fields);
        merged.putAll(answer);
        Duration lifetime = settings.expire() != null ? settings.expire() : expiresIn(merged.get("expires_in"));
        synchronized (this) {
            current = new Current(Map.copyOf(withoutNulls(merged)), sent, lifetime);
            return current.fields();
        }
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> fields) {
        fields.values().removeIf(value -> value == null);
        return fields;
    }

    private static Duration expiresIn(Object value) {
        if (value instanceof Number number && number.longValue() > 0) {
            return Duration.ofSeconds(number.longValue());
        }
        if (value instanceof String text) {
            try {
                long seconds = Long.parseLong(text.strip());
                return seconds > 0 ? Duration.ofSeconds(seconds) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String reason(Throwable failure) {
        return HttpFailures.describe(failure);
    }
}
