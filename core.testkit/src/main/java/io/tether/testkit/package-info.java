/**
 * Tether's test kit, for the tests of connectors and of the rule layer (a test-scope artifact, never deployed): the
 * real pool without OSGi ({@link io.tether.testkit.TestPool}), a connector bundle's components created as the
 * framework creates them ({@link io.tether.testkit.ConnectorComponents}), node contexts that record what a source or
 * sink does ({@link io.tether.testkit.RecordingSourceContext}, {@link io.tether.testkit.RecordingSinkContext}),
 * private peers ({@link io.tether.testkit.Peers}, {@link io.tether.testkit.TcpProxy},
 * {@link io.tether.testkit.Mosquitto}, {@link io.tether.testkit.BareMqtt},
 * {@link io.tether.testkit.WebSocketTestServer}), {@link io.tether.testkit.Poll}, and the suite every connector passes,
 * {@link io.tether.testkit.ConnectorContract}. The jar is also a bundle exporting this package (dynamic imports), so
 * that tests running inside an OSGi framework can use its JDK-only peers.
 */
package io.tether.testkit;
