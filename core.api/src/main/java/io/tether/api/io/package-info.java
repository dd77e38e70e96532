/**
 * The source and sink SPI: how connector bundles offer sources and sinks to the rule layer. Sources and sinks get
 * their connections from the {@link io.tether.api.connection.ConnectionPool} through their context.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package io.tether.api.io;
