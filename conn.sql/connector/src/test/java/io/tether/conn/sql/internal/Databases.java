package io.tether.conn.sql.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.osgi.service.jdbc.DataSourceFactory;
import org.postgresql.osgi.PGDataSourceFactory;

import io.tether.testkit.ConnectorComponents;

/**
 * The test databases: SQLite files under {@code target/}, and the machine's PostgreSQL and MariaDB (database
 * {@code test} on 127.0.0.1), each reached with its driver's {@link DataSourceFactory}, for setting up and
 * checking tables directly.
 */
public final class Databases {
    public static final String POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable";
    public static final String POSTGRES_JDBC = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String MARIADB_URL = "mysql://root@127.0.0.1:3306/test";
    public static final String MARIADB_JDBC = "jdbc:mariadb://127.0.0.1:3306/test";

    private Databases() {
    }

    public static DataSourceFactory sqliteDriver() {
        return ConnectorComponents.component(DataSourceFactory.class, DataSourceFactory.OSGI_JDBC_DRIVER_CLASS,
                "org.sqlite.JDBC");
    }

    public static DataSourceFactory postgresDriver() {
        return new PGDataSourceFactory();
    }

    public static DataSourceFactory mariadbDriver() {
        return ConnectorComponents.component(DataSourceFactory.class, DataSourceFactory.OSGI_JDBC_DRIVER_CLASS,
                "org.mariadb.jdbc.Driver");
    }

    /** A fresh SQLite file under target/ for one test. */
    public static Path sqliteFile(String name) throws Exception {
        Path dir = Path.of("target", "sqlite").toAbsolutePath();
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".db");
        Files.deleteIfExists(file);
        return file;
    }

    public static Connection sqlite(Path file) throws SQLException {
        return connect(sqliteDriver(), "jdbc:sqlite:" + file, null);
    }

    public static Connection postgres() throws SQLException {
        return connect(postgresDriver(), POSTGRES_JDBC, "postgres");
    }

    public static Connection mariadb() throws SQLException {
        return connect(mariadbDriver(), MARIADB_JDBC, "root");
    }

    private static Connection connect(DataSourceFactory driver, String url, String user) throws SQLException {
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, url);
        if (user != null) {
            props.setProperty(DataSourceFactory.JDBC_USER, user);
        }
        return driver.createDataSource(props).getConnection();
    }

    public static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Every row of a query, columns by lower-case label. */
    public static List<Map<String, Object>> query(Connection connection, String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= columns; column++) {
                    row.put(result.getMetaData().getColumnLabel(column).toLowerCase(), result.getObject(column));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
