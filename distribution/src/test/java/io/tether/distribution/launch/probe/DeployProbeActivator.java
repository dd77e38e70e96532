package io.tether.distribution.launch.probe;

import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** The activator of a bundle that a test drops into {@code deploy/}: starting, it leaves a file in the home folder. */
public class DeployProbeActivator implements BundleActivator {
    public static final String MARKER = "deploy-probe.started";

    @Override
    public void start(BundleContext context) throws Exception {
        Files.writeString(Path.of(MARKER), "started");
    }

    @Override
    public void stop(BundleContext context) {
    }
}
