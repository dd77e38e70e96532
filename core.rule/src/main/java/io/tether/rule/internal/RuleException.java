package io.tether.rule.internal;

/** A request the rule layer refuses; {@link #kind()} decides the HTTP status. */
public final class RuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        INVALID(400),
        NOT_FOUND(404),
        CONFLICT(409),
        INTERNAL(500);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    public RuleException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RuleException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static RuleException invalid(String message) {
        return new RuleException(Kind.INVALID, message);
    }

    public static RuleException notFound(String message) {
        return new RuleException(Kind.NOT_FOUND, message);
    }

    public static RuleException conflict(String message) {
        return new RuleException(Kind.CONFLICT, message);
    }
}
