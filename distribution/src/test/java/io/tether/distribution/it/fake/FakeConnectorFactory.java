package io.tether.distribution.it.fake;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.tether.api.connection.Connection;
import io.tether.api.connection.ConnectionContext;
import io.tether.api.connection.ConnectionException;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;

/**
 * Connections of type {@value #TYPE} that "connect" at once. A test steers them and counts them through a control
 * map it registers as a {@code java.util.Map} service with {@value #CONTROL_PROPERTY}{@code =true} (JDK types only,
 * so it outlives reinstalls of this bundle): {@value #FAIL_DIALS} ({@link AtomicBoolean}) makes dials fail with an
 * I/O error; {@value #CREATED}, {@value #OPENED}, {@value #CLOSED} ({@link AtomicInteger}) count instances created,
 * successfully dialled and closed; {@value #LAST_PROPS} ({@link AtomicReference}) the props of the last instance
 * created, as the pool handed them over (secrets unmasked). A prop named {@value #REFUSED_PROP} is refused by {@link #validate}.
 */
public final class FakeConnectorFactory implements ConnectorFactory {

    public static final String TYPE = "fake";
    public static final String CONTROL_PROPERTY = "tether.fake.control";
    public static final String FAIL_DIALS = "failDials";
    public static final String CREATED = "created";
    public static final String OPENED = "opened";
    public static final String CLOSED = "closed";
    public static final String LAST_PROPS = "lastProps";
    public static final String REFUSED_PROP = "refuse";
    public static final String REFUSED_MESSAGE = "the fake connector refuses this prop";

    private final BundleContext context;

    FakeConnectorFactory(BundleContext context) {
        this.context = context;
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return props.containsKey(REFUSED_PROP) ? List.of(new PropError(REFUSED_PROP, REFUSED_MESSAGE)) : List.of();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Connection create(Map<String, Object> props, ConnectionContext ctx) {
        // the instance keeps the control map: it is closed after this bundle's context is gone
        Map<String, Object> control = control();
        count(control, CREATED);
        Object lastProps = control.get(LAST_PROPS);
        if (lastProps instanceof AtomicReference) {
            ((AtomicReference<Object>) lastProps).set(Map.copyOf(props));
        }
        return new FakeConnection(control);
    }

    @Override
    public Set<String> secretProps() {
        return Set.of("apiKey");
    }

    static boolean failDials(Map<String, Object> control) {
        Object flag = control.get(FAIL_DIALS);
        return flag instanceof AtomicBoolean && ((AtomicBoolean) flag).get();
    }

    static void count(Map<String, Object> control, String counter) {
        Object value = control.get(counter);
        if (value instanceof AtomicInteger) {
            ((AtomicInteger) value).incrementAndGet();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> control() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(Map.class.getName(),
                    "(" + CONTROL_PROPERTY + "=true)");
            if (refs != null && refs.length > 0) {
                Object service = context.getService(refs[0]);
                if (service instanceof Map) {
                    context.ungetService(refs[0]);
                    return (Map<String, Object>) service;
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // no control (or this bundle is stopping): behave as a plain connector
        }
        return Map.of();
    }

    static ConnectionException dialRefused() {
        return ConnectionException.io("fake dial refused", null);
    }
}
