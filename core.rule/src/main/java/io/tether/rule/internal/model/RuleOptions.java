package io.tether.rule.internal.model;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A rule's {@code options} (eKuiper's names, and {@code overflow}).
 *
 * @param bufferLength how many records wait for the rule's thread at most
 * @param overflow     what a source does when the buffer is full: wait for room (the default) or drop the record
 */
public record RuleOptions(int bufferLength, Overflow overflow) {
    public static final int DEFAULT_BUFFER_LENGTH = 1024;
    /** Bounds the memory one rule may hold in its buffer. */
    public static final int MAX_BUFFER_LENGTH = 1_000_000;
    public static final RuleOptions DEFAULT = new RuleOptions(DEFAULT_BUFFER_LENGTH, Overflow.BLOCK);

    /** Rules stored before {@code overflow} existed block. */
    public RuleOptions {
        overflow = overflow == null ? Overflow.BLOCK : overflow;
    }

    /** {@code options.overflow}. */
    public enum Overflow {
        /** A source waits for room (backpressure): nothing accepted is lost. */
        BLOCK,
        /** A record that finds the buffer full is dropped and counted, as eKuiper does. */
        DROP;

        @JsonValue
        public String optionValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
