package io.tether.rule.internal.sql;

/** A field declared in {@code CREATE STREAM name (field TYPE, ...)}; the type as written, upper-cased. */
public record StreamField(String name, String type) {
}
