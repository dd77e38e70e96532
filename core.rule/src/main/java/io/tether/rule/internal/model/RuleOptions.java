package io.tether.rule.internal.model;

/**
 * A rule's {@code options} (eKuiper's names).
 *
 * @param bufferLength how many records wait for the rule's thread at most; a record that finds the buffer full is
 *                     dropped and counted as an exception of the source
 */
public record RuleOptions(int bufferLength) {
    public static final int DEFAULT_BUFFER_LENGTH = 1024;
    /** Bounds the memory one rule may hold in its buffer. */
    public static final int MAX_BUFFER_LENGTH = 1_000_000;
    public static final RuleOptions DEFAULT = new RuleOptions(DEFAULT_BUFFER_LENGTH);
}
