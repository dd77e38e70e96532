package io.tether.rule.internal.runtime;

import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.StatusListener;
import io.tether.api.io.NodeContext;

abstract class NodeContextBase implements NodeContext {
    private final String ruleId;
    private final String operatorId;
    private final ConnectionPool pool;
    private final NodeMetrics metrics;

    NodeContextBase(String ruleId, String operatorId, ConnectionPool pool, NodeMetrics metrics) {
        this.ruleId = ruleId;
        this.operatorId = operatorId;
        this.pool = pool;
        this.metrics = metrics;
    }

    @Override
    public String ruleId() {
        return ruleId;
    }

    @Override
    public String operatorId() {
        return operatorId;
    }

    @Override
    public ConnectionPool pool() {
        return pool;
    }

    @Override
    public StatusListener connectionStatusListener() {
        return metrics;
    }
}
