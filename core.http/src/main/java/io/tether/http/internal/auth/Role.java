package io.tether.http.internal.auth;

import java.util.Locale;
import java.util.Optional;

/** What a user may do: {@code admin} everything, {@code readonly} only read (GET, HEAD). */
enum Role {
    ADMIN, READONLY;

    String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Role> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "admin" -> Optional.of(ADMIN);
            case "readonly", "read-only", "viewer" -> Optional.of(READONLY);
            default -> Optional.empty();
        };
    }
}
