package io.tether.pool.internal.rest;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.tether.api.connection.ConnectionInfo;
import io.tether.api.connection.ConnectionStatus;

/**
 * The connection object of the REST API: eKuiper's fields ({@code id, typ, props, isNamed, status, err, refCount})
 * plus ours ({@code refs} and the times, in Unix ms, left out while they are unknown).
 */
record ConnectionJson(
        String id,
        String typ,
        Map<String, Object> props,
        @JsonProperty("isNamed") boolean isNamed,
        String status,
        String err,
        int refCount,
        List<String> refs,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long lastConnected,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long lastDisconnected,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long lastTry) {

    static ConnectionJson of(ConnectionInfo info) {
        ConnectionStatus status = info.status();
        return new ConnectionJson(info.id(), info.typ(), info.props(), info.named(), status.status().text(),
                Objects.requireNonNullElse(status.err(), ""), status.refCount(), status.refs(),
                status.lastConnected(), status.lastDisconnected(), status.lastTry());
    }
}
