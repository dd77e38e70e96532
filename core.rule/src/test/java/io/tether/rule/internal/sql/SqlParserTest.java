package io.tether.rule.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SqlParserTest {

    @Test
    void createStreamWithAllOptions() {
        StreamDefinition stream = Sql.parseStream("CREATE STREAM demo () WITH (TYPE=\"mqtt\", DATASOURCE=\"test/\", "
                + "FORMAT=\"JSON\", CONF_KEY=\"demo_conf\", SHARED=\"true\")");
        assertEquals(new StreamDefinition("demo", List.of(), "mqtt", "test/", "json", "demo_conf", true), stream);
    }

    @Test
    void createStreamWithFieldsAndDefaults() {
        StreamDefinition stream = Sql.parseStream(
                "create stream `my stream` (temperature float, id BIGINT) with (DATASOURCE=\"t\");");
        assertEquals("my stream", stream.name());
        assertEquals(List.of(new StreamField("temperature", DataType.Scalar.FLOAT),
                new StreamField("id", DataType.Scalar.BIGINT)),
                stream.fields());
        assertEquals("mqtt", stream.type());
        assertEquals("json", stream.format());
        assertNull(stream.confKey());
        assertFalse(stream.shared());
    }

    @Test
    void streamOptionsAreChecked() {
        assertEquals("FORMAT \"xml\" is not supported: use json or binary",
                assertThrows(SqlException.class, () -> Sql.parseStream(
                        "CREATE STREAM s () WITH (FORMAT=\"xml\")")).getMessage());
        assertEquals("stream option KEY is not supported", assertThrows(SqlException.class,
                () -> Sql.parseStream("CREATE STREAM s () WITH (KEY=\"id\")")).getMessage());
        assertEquals("SHARED must be \"true\" or \"false\", not \"yes\"", assertThrows(SqlException.class,
                () -> Sql.parseStream("CREATE STREAM s () WITH (SHARED=\"yes\")")).getMessage());
    }

    @Test
    void syntaxErrorsSayWhereAndWhatWasExpected() {
        SqlException error = assertThrows(SqlException.class,
                () -> Sql.parseStream("CREATE STREAM demo () WITH (TYPE=mqtt)"));
        assertEquals("syntax error at line 1, column 34: mismatched input 'mqtt' expecting STRING",
                error.getMessage());
        error = assertThrows(SqlException.class, () -> Sql.parseSelect("SELECT a FORM demo"));
        assertEquals("syntax error at line 1, column 15: mismatched input 'demo' expecting {'FROM', ','}",
                error.getMessage());
    }

    @Test
    void statementKindIsChecked() {
        assertEquals("a SELECT statement is expected", assertThrows(SqlException.class,
                () -> Sql.parseSelect("CREATE STREAM s () WITH (TYPE=\"mqtt\")")).getMessage());
        assertEquals("a CREATE STREAM statement is expected",
                assertThrows(SqlException.class, () -> Sql.parseStream("SELECT * FROM s")).getMessage());
        assertEquals("sql is empty", assertThrows(SqlException.class, () -> Sql.parseSelect(" ")).getMessage());
    }

    @Test
    void selectWithProjectionsAndWhere() {
        SelectStatement select = Sql.parseSelect(
                "SELECT temperature, id AS device, temperature * 2 FROM demo WHERE temperature > 20");
        assertEquals("demo", select.stream());
        assertEquals(List.of("temperature", "device", "kuiper_field_2"), select.items().stream()
                .map(item -> ((SelectItem.Projection) item).name()).toList());
        assertTrue(select.where().isPresent());
    }

    @Test
    void outsideTheSubsetIsNotSupported() {
        assertEquals("GROUP BY is not supported", assertThrows(SqlException.class,
                () -> Sql.parseSelect("SELECT count(*) FROM demo GROUP BY TUMBLINGWINDOW(ss, 10)")).getMessage());
        assertEquals("JOIN is not supported", assertThrows(SqlException.class,
                () -> Sql.parseSelect("SELECT * FROM a INNER JOIN b ON a.id = b.id")).getMessage());
        assertEquals("ORDER BY is not supported", assertThrows(SqlException.class,
                () -> Sql.parseSelect("SELECT * FROM a ORDER BY x")).getMessage());
        assertEquals("function avg is not supported", assertThrows(SqlException.class,
                () -> Sql.parseSelect("SELECT avg(t) FROM demo")).getMessage());
    }
}
