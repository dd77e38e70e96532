package io.tether.api.kit;

import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Whether the runtime is still starting: the framework is starting, or has started but has not reached the start
 * level {@value #READY_LEVEL_PROPERTY} (framework property; Tether's runtime sets it to its last level) yet, as when
 * a launcher starts the framework at level 1 and raises the level afterwards (bnd's does, and hides the beginning
 * start level from the framework's properties). Tether starts the connector bundles after the management API, so a
 * component that answers requests early may wait, while the runtime starts, for a type a request names rather than
 * refuse it as unknown.
 */
public final class RuntimeStart implements AutoCloseable {
    /** The framework start level at which the runtime has started. */
    public static final String READY_LEVEL_PROPERTY = "tether.startlevel.ready";

    private final BundleContext context;
    private final FrameworkListener listener;

    private RuntimeStart(BundleContext context, FrameworkListener listener) {
        this.context = context;
        this.listener = listener;
    }

    /**
     * Tells {@code starting} now whether the runtime is starting, and again each time the framework has started or
     * changed its start level, until closed.
     */
    public static RuntimeStart follow(BundleContext context, Consumer<Boolean> starting) {
        FrameworkListener listener = event -> {
            if (event.getType() == FrameworkEvent.STARTED || event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                starting.accept(isStarting(context));
            }
        };
        context.addFrameworkListener(listener);
        starting.accept(isStarting(context));
        return new RuntimeStart(context, listener);
    }

    public static boolean isStarting(BundleContext context) {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        if (system.getState() == Bundle.STARTING) {
            return true;
        }
        String ready = context.getProperty(READY_LEVEL_PROPERTY);
        try {
            return ready != null
                    && system.adapt(FrameworkStartLevel.class).getStartLevel() < Integer.parseInt(ready.trim());
        } catch (NumberFormatException unreadable) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            context.removeFrameworkListener(listener);
        } catch (IllegalStateException bundleStopped) {
            // its listeners went with it
        }
    }
}
