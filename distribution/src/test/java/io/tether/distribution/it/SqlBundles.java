package io.tether.distribution.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.File;

import org.ops4j.pax.exam.Option;

/**
 * The SQL connector's bundles on top of {@link TetherRuntime#options}: the connector, HikariCP, the OSGi JDBC service
 * API, the three drivers and the DataSourceFactory bundles of the two drivers that register none. PostgreSQL's driver
 * comes from a {@code file:} location, so that a test can uninstall it and install it again from there.
 */
public final class SqlBundles {
    public static final String POSTGRES_DRIVER = "org.postgresql.jdbc";

    private SqlBundles() {
    }

    public static Option options() {
        return composite(
            mavenBundle("org.osgi", "org.osgi.service.jdbc").versionAsInProject(),
            mavenBundle("com.zaxxer", "HikariCP").versionAsInProject(),
            bundle(fileUrl("tether.bundle.postgresql")),
            mavenBundle("org.mariadb.jdbc", "mariadb-java-client").versionAsInProject(),
            mavenBundle("org.xerial", "sqlite-jdbc").versionAsInProject(),
            bundle(fileUrl("tether.bundle.sql.mariadb")),
            bundle(fileUrl("tether.bundle.sql.sqlite")),
            bundle(fileUrl("tether.bundle.sql")));
    }

    private static String fileUrl(String property) {
        String path = System.getProperty(property);
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run through failsafe");
        }
        return new File(path).toURI().toString();
    }
}
