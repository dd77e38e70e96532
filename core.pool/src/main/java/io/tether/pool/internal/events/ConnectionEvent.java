package io.tether.pool.internal.events;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.tether.api.connection.ConnectionInfo;

/**
 * The data of a status event: {@code {id, typ, status, err, at, generation}} (as the issue names them) plus whether
 * the connection is named, its reference ids and its times (Unix ms, left out while unknown). {@code err} is masked as
 * in the REST API. A deleted connection has the status {@code "deleted"}.
 */
record ConnectionEvent(
        String id,
        String typ,
        String status,
        String err,
        long at,
        long generation,
        @JsonProperty("isNamed") boolean isNamed,
        List<String> refs,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long lastConnected,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long lastDisconnected,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long lastTry) {

    static final String DELETED_STATUS = "deleted";

    static ConnectionEvent of(ConnectionInfo connection, long generation, long at) {
        var status = connection.status();
        return new ConnectionEvent(connection.id(), connection.typ(), status.status().text(),
                Objects.requireNonNullElse(status.err(), ""), at, generation, connection.named(), status.refs(),
                status.lastConnected(), status.lastDisconnected(), status.lastTry());
    }

    static ConnectionEvent deleted(ConnectionInfo connection, long generation, long at) {
        var status = connection.status();
        return new ConnectionEvent(connection.id(), connection.typ(), DELETED_STATUS, "", at, generation,
                connection.named(), List.of(), status.lastConnected(), status.lastDisconnected(), status.lastTry());
    }
}
