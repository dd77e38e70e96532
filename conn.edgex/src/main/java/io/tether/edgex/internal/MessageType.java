package io.tether.edgex.internal;

import java.util.Locale;

/** What the payload of an envelope is: a bare Event (app services' output) or an AddEventRequest (device services'). */
enum MessageType {
    EVENT, REQUEST;

    /** The type named by {@code text} ({@code event} or {@code request}, any case), or null. */
    static MessageType of(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "event" -> EVENT;
            case "request" -> REQUEST;
            default -> null;
        };
    }
}
