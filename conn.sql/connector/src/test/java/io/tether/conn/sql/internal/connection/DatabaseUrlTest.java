package io.tether.conn.sql.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tether.api.connection.PropError;

class DatabaseUrlTest {

    @Test
    void eKuiperPostgresUrlBecomesAJdbcUrlWithTheCredentialsApart() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://user:s3cret@db.local:5433/plant?sslmode=disable", null, null);
        assertEquals("postgres", url.scheme());
        assertEquals("jdbc:postgresql://db.local:5433/plant?sslmode=disable&reWriteBatchedInserts=true", url.jdbcUrl());
        assertEquals("user", url.user());
        assertEquals("s3cret", url.password());
        assertFalse(url.textDatetimes());
        assertFalse(url.toString().contains("s3cret"));
    }

    @Test
    void percentEncodedPasswordsAreDecoded() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://me:p%40ss%3Aword@host/db", null, null);
        assertEquals("p@ss:word", url.password());
        assertEquals("jdbc:postgresql://host/db?reWriteBatchedInserts=true", url.jdbcUrl());
    }

    @Test
    void mysqlUrlsGoToTheMariaDbDriverWithoutGoOnlyParameters() {
        DatabaseUrl url = DatabaseUrl.parse("mysql://root:pw@127.0.0.1:3306/test?parseTime=true&useSSL=false", null,
                null);
        assertEquals("jdbc:mariadb://127.0.0.1:3306/test?useSSL=false", url.jdbcUrl());
        assertEquals("root", url.user());
        assertEquals("pw", url.password());
    }

    @Test
    void sqliteUrlsNameAFile() {
        assertEquals("jdbc:sqlite:/var/lib/data.db", DatabaseUrl.parse("sqlite:/var/lib/data.db", null, null).jdbcUrl());
        assertEquals("jdbc:sqlite:/var/lib/data.db", DatabaseUrl.parse("sqlite:///var/lib/data.db", null, null).jdbcUrl());
        assertEquals("jdbc:sqlite:rel.db", DatabaseUrl.parse("sqlite3:rel.db", null, null).jdbcUrl());
        assertTrue(DatabaseUrl.parse("sqlite:/x.db", null, null).textDatetimes());
    }

    @Test
    void jdbcUrlsAreTakenAsGivenWithCredentialsFromProps() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h/db", "u", "p");
        assertEquals("postgresql", url.scheme());
        assertEquals("jdbc:postgresql://h/db", url.jdbcUrl());
        assertEquals("u", url.user());
        assertEquals("p", url.password());
        assertTrue(DatabaseUrl.parse("jdbc:sqlite:/x.db", null, null).textDatetimes());
        assertNull(DatabaseUrl.parse("jdbc:h2:mem:x", null, null).user());
    }

    @Test
    void badUrlsEachGetTheirMessageAndNeverShowThePassword() {
        assertEquals("unsupported database scheme 'oracle': supported are postgres, postgresql, pgsql, mysql, "
                + "mariadb, sqlite, sqlite3 and jdbc:<subprotocol>: URLs", message("oracle://u:pw@h/db"));
        assertTrue(message("").startsWith("is required"));
        assertTrue(message("just-a-host").contains("has no scheme"));
        assertTrue(message("sqlite:").contains("names no database file"));
        assertTrue(message("jdbc:").contains("names no JDBC subprotocol"));
        assertTrue(message("postgres:///db").contains("names no host"));
        assertFalse(message("postgres://u:p@ss@h:x/db").contains("ss"));
        String invalid = message("postgres://u:p ss@h/db");
        assertTrue(invalid.contains("is not a valid URL"), invalid);
        assertFalse(invalid.contains("p ss"), invalid);
    }

    @Test
    void factoryValidationNamesTheProp() {
        SqlConnectorFactory factory = new SqlConnectorFactory();
        assertEquals(List.of(), factory.validate(Map.of("dburl", "sqlite:/tmp/x.db")));
        List<PropError> problems = factory.validate(Map.of("url", "oracle://h/db", "maxConnections", 0,
                "connectionTimeout", "soon"));
        assertEquals(List.of("url", "maxConnections", "connectionTimeout"),
                problems.stream().map(PropError::prop).toList());
        assertEquals("must be between 1 and 100, not 0", problems.get(1).message());
        assertEquals("must be a whole number, not 'soon'", problems.get(2).message());
    }

    @Test
    void anonymousKeysAreTheUrlWithoutItsPassword() {
        assertEquals("sqlite:/x.db", SqlSettings.anonymousKey(Map.of("url", "sqlite:/x.db")));
        String key = SqlSettings.anonymousKey(Map.of("url", "postgres://u:s3cret@h/db"));
        assertTrue(key.startsWith("postgres://u:******@h/db#"), key);
        assertFalse(key.contains("s3cret"));
        assertFalse(key.equals(SqlSettings.anonymousKey(Map.of("url", "postgres://u:other@h/db"))));
        assertEquals(key, SqlSettings.anonymousKey(Map.of("url", "postgres://u:s3cret@h/db")));
    }

    @Test
    void secretsAreScrubbedFromMessages() {
        assertEquals("jdbc:postgresql://h/db?user=u&password=******",
                Secrets.maskUrl("jdbc:postgresql://h/db?user=u&password=x1"));
        assertEquals("FATAL: password ****** rejected for postgres://u:******@h",
                Secrets.scrub("FATAL: password hunter2 rejected for postgres://u:hunter2@h", "hunter2"));
    }

    private static String message(String url) {
        return assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(url, null, null)).getMessage();
    }
}
