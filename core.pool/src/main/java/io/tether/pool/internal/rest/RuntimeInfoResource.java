package io.tether.pool.internal.rest;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * eKuiper's {@code GET /ping} (200, empty) and {@code GET /} ({@code {version, os, arch, upTimeSeconds}}), with Go's
 * names for the operating system and the architecture so that eKuiper's clients read them alike.
 */
@Component(service = RuntimeInfoResource.class)
@JaxrsResource
@JaxrsName("tether.runtime-info")
@Path("/")
public class RuntimeInfoResource {

    private final String version;

    @Activate
    public RuntimeInfoResource(BundleContext context) {
        this.version = context.getBundle().getVersion().toString();
    }

    @GET
    public Response info() {
        long upTimeSeconds = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        return Json.response(200, new Info(version, os(System.getProperty("os.name")),
                arch(System.getProperty("os.arch")), upTimeSeconds)).build();
    }

    @GET
    @Path("ping")
    public Response ping() {
        return Response.ok().build();
    }

    static String os(String javaName) {
        String name = javaName.toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return "windows";
        }
        if (name.startsWith("mac")) {
            return "darwin";
        }
        return name.replace(" ", "");
    }

    static String arch(String javaName) {
        return switch (javaName) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> javaName;
        };
    }

    record Info(String version, String os, String arch, long upTimeSeconds) {
    }
}
