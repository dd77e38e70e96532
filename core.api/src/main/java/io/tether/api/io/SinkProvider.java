package io.tether.api.io;

import java.util.List;
import java.util.Map;

import io.tether.api.connection.PropError;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Offers the sinks of one type to the rule layer. Registered as a service with the property
 * {@value io.tether.api.connection.ConnectorFactory#TYPE_PROPERTY}.
 */
@ConsumerType
public interface SinkProvider {

    List<PropError> validate(Map<String, Object> props);

    Sink create(Map<String, Object> props);
}
