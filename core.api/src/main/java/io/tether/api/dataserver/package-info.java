/**
 * The data server: one HTTP and WebSocket listener for data pushed by devices and apps, separate from the management
 * API. Connector bundles (httppush, websocket in server mode) register endpoints on it through the {@link
 * io.tether.api.dataserver.DataServer} service; the listener starts with the first registration and stops with the
 * last.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package io.tether.api.dataserver;
