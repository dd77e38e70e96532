package io.tether.launcher;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * With {@code -Dtether.trace.startup=true}: prints, in ms since the JVM started, when each bundle starts (and has
 * started) and each
 * service registers, to find where start-up time goes (see bench/startup.sh).
 */
final class StartupTrace {
    static final String PROPERTY = "tether.trace.startup";

    private StartupTrace() {
    }

    static void install(BundleContext context) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        context.addBundleListener((SynchronousBundleListener) event -> {
            if (event.getType() == BundleEvent.STARTING) {
                print(jvmStart, "starting " + event.getBundle().getSymbolicName());
            } else if (event.getType() == BundleEvent.STARTED) {
                print(jvmStart, "started " + event.getBundle().getSymbolicName());
            }
        });
        context.addServiceListener(event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                print(jvmStart, "service " + Arrays.toString((String[]) event.getServiceReference()
                        .getProperty("objectClass")) + " of " + event.getServiceReference().getBundle().getSymbolicName());
            }
        });
    }

    /** Prints a start-up event of the launcher itself when tracing is on. */
    static void event(String what) {
        if (Boolean.getBoolean(PROPERTY)) {
            print(ManagementFactory.getRuntimeMXBean().getStartTime(), what);
        }
    }

    private static void print(long jvmStart, String what) {
        System.err.println("tether-trace " + (System.currentTimeMillis() - jvmStart) + " ms " + what);
    }
}
