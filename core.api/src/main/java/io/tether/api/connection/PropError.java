package io.tether.api.connection;

/**
 * One problem with one prop, found by {@link ConnectorFactory#validate}.
 *
 * @param prop    the prop's name, or an empty string for a problem of the props as a whole
 * @param message what is wrong, for a user to read
 */
public record PropError(String prop, String message) {
}
