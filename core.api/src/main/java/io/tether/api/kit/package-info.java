/**
 * A small helper library for connector bundles: the mechanics every connector repeats, built on the contract of
 * {@link io.tether.api.connection} and {@link io.tether.api.io} alone. Unlike those packages it holds concrete
 * classes; a connector may use any of them or none.
 * <ul>
 * <li>{@link io.tether.api.kit.ConnectionScopes}: state kept per connection id, which successive instances of one
 * connection and the consumers attached to it share (subscriptions, a generated client id).</li>
 * <li>{@link io.tether.api.kit.AnonymousKeys}: the keys under which sources and sinks share anonymous
 * connections.</li>
 * <li>{@link io.tether.api.kit.NodeProps}: checking and reading a source's or sink's props, the
 * {@code connectionSelector}-or-connection-props rule included.</li>
 * <li>{@link io.tether.api.kit.ConnectedSink}: a sink on a pooled connection: attach, status check, time limit,
 * failures sorted into retryable and permanent.</li>
 * <li>{@link io.tether.api.kit.RuntimeStart}, {@link io.tether.api.kit.StartupArrivals}: whether the runtime is
 * still starting (connector bundles start after the management API), and lookups that wait meanwhile.</li>
 * </ul>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.tether.api.kit;
