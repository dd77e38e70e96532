package io.tether.rule.internal.sql;

/** A field declared in {@code CREATE STREAM name (field TYPE, ...)}, or inside a {@code STRUCT(...)}. */
public record StreamField(String name, DataType type) {
}
