package io.tether.shell.internal.deploy;

import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enables the {@link ConnectionFileInstaller} when the deploy folder's watcher (Felix FileInstall, whose API this
 * bundle imports optionally) is in the runtime: without it, the installer's class could not load.
 */
@Component(immediate = true, service = {})
public final class DeployFolderSupport {
    static final String FILEINSTALL_PACKAGE = "org.apache.felix.fileinstall";
    private static final Logger LOG = LoggerFactory.getLogger(DeployFolderSupport.class);

    @Activate
    public DeployFolderSupport(ComponentContext context) {
        BundleWiring wiring = context.getBundleContext().getBundle().adapt(BundleWiring.class);
        boolean wired = wiring != null && wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .anyMatch(wire -> FILEINSTALL_PACKAGE.equals(
                        wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)));
        if (wired) {
            context.enableComponent(ConnectionFileInstaller.class.getName());
        } else {
            LOG.info("No deploy folder watcher (FileInstall) in the runtime: connection files are not read");
        }
    }
}
