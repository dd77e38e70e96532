/**
 * The connection contract of Tether: connector factories and their connections (implemented by connector bundles),
 * and the connection pool that consumers and the REST API use (implemented by the pool bundle).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.tether.api.connection;
