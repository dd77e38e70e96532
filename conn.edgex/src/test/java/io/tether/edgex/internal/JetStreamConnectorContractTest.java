package io.tether.edgex.internal;

/** The connector contract on the NATS JetStream bus (the stream provisioned by the connector). */
class JetStreamConnectorContractTest extends NatsConnectorContractTest {

    @Override
    protected String busType() {
        return "nats-jetstream";
    }
}
