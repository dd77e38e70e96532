package io.tether.http.internal.auth;

/** Credentials that do not authenticate anyone; the message says why, without the credentials. */
final class AuthException extends Exception {
    private static final long serialVersionUID = 1L;

    AuthException(String message) {
        super(message);
    }

    AuthException(String message, Throwable cause) {
        super(message, cause);
    }
}
