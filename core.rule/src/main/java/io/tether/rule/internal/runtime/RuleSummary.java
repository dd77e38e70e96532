package io.tether.rule.internal.runtime;

/** A rule in a listing: its id and status text ({@code running}, {@code stopped}, {@code stopped: <why>}). */
public record RuleSummary(String id, String status) {
}
