package io.tether.rule.internal.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StreamSchemaTest {
    private static final String DEMO = "CREATE STREAM demo (temperature FLOAT, id BIGINT, name STRING, ok BOOLEAN, "
            + "ts DATETIME, raw BYTEA, tags ARRAY(STRING), loc STRUCT(lat FLOAT, lon FLOAT)) WITH (DATASOURCE=\"t\")";
    private static final StreamSchema SCHEMA = StreamSchema.of(Sql.parseStream(DEMO));

    private static Object converted(String field, Object value) {
        Map<String, Object> record = new HashMap<>();
        record.put(field, value);
        return SCHEMA.conform(record).get(field);
    }

    private static String mismatch(String field, Object value) {
        return assertThrows(IllegalArgumentException.class, () -> converted(field, value)).getMessage();
    }

    private static String refusal(String select) {
        return assertThrows(SqlException.class, () -> Sql.parseSelect(select).checkFieldsDeclared(SCHEMA))
                .getMessage();
    }

    @Test
    void everyEkuiperTypeIsParsedAndWrittenBack() {
        StreamDefinition stream = Sql.parseStream(DEMO);
        assertEquals(List.of("FLOAT", "BIGINT", "STRING", "BOOLEAN", "DATETIME", "BYTEA", "ARRAY(STRING)",
                "STRUCT(lat FLOAT, lon FLOAT)"), stream.fields().stream().map(f -> f.type().toString()).toList());
        assertEquals(new DataType.Array(new DataType.Struct(List.of(new StreamField("a", DataType.Scalar.BIGINT)))),
                Sql.parseStream("CREATE STREAM s (x array(struct(a bigint))) WITH (TYPE=\"mqtt\")").fields().get(0)
                        .type());
    }

    @Test
    void unknownAndMalformedTypesAreRefused() {
        assertEquals("data type INT is not supported: use BIGINT, FLOAT, STRING, DATETIME, BOOLEAN, BYTEA, "
                + "ARRAY(type) or STRUCT(name type, ...)", assertThrows(SqlException.class,
                        () -> Sql.parseStream("CREATE STREAM s (a INT) WITH (TYPE=\"mqtt\")")).getMessage());
        assertEquals("ARRAY needs one element type: ARRAY(type)", assertThrows(SqlException.class,
                () -> Sql.parseStream("CREATE STREAM s (a ARRAY) WITH (TYPE=\"mqtt\")")).getMessage());
        assertEquals("STRUCT needs named fields: STRUCT(name type, ...)", assertThrows(SqlException.class,
                () -> Sql.parseStream("CREATE STREAM s (a STRUCT(FLOAT)) WITH (TYPE=\"mqtt\")")).getMessage());
        assertEquals("data type FLOAT takes no parameters", assertThrows(SqlException.class,
                () -> Sql.parseStream("CREATE STREAM s (a FLOAT(STRING)) WITH (TYPE=\"mqtt\")")).getMessage());
    }

    @Test
    void binaryStreamsDeclareAtMostOneByteaField() {
        assertEquals("image", Sql.parseStream("CREATE STREAM b (image BYTEA) WITH (FORMAT=\"BINARY\")").fields()
                .get(0).name());
        assertEquals("a BINARY stream is schemaless or declares one BYTEA field, for the payload",
                assertThrows(SqlException.class, () -> Sql.parseStream(
                        "CREATE STREAM b (image STRING) WITH (FORMAT=\"BINARY\")")).getMessage());
    }

    @Test
    void numbersConvertAsEkuiperConvertsJsonNumbers() {
        assertEquals(3L, converted("id", 3));
        assertEquals(Long.MAX_VALUE, converted("id", BigInteger.valueOf(Long.MAX_VALUE)));
        assertEquals(25.0, converted("temperature", 25));
        assertEquals(25.5, converted("temperature", 25.5));
        assertEquals("25", converted("name", 25));
        assertEquals("25.5", converted("name", 25.5));
        assertEquals(true, converted("ok", 1));
        assertEquals(false, converted("ok", 0.0));
        assertEquals(1700000000000L, converted("ts", 1700000000000L));
    }

    @Test
    void stringsConvertWhereEkuiperTakesThem() {
        assertEquals("abc", converted("name", "abc"));
        assertEquals(true, converted("ok", "true"));
        assertEquals(false, converted("ok", "F"));
        assertEquals("2024-01-01T00:00:00Z", converted("ts", "2024-01-01T00:00:00Z"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) converted("raw", "AQID"));
    }

    @Test
    void mismatchesNameTheFieldTheTypeAndTheValue() {
        assertEquals("field id is declared bigint but got float 1.5", mismatch("id", 1.5));
        assertEquals("field id is declared bigint but got string \"12\"", mismatch("id", "12"));
        assertEquals("field temperature is declared float but got string \"hot\"", mismatch("temperature", "hot"));
        assertEquals("field name is declared string but got boolean true", mismatch("name", true));
        assertEquals("field ok is declared boolean but got string \"yes\"", mismatch("ok", "yes"));
        assertEquals("field raw is declared bytea but got string \"not base64!\"", mismatch("raw", "not base64!"));
        assertEquals("field tags is declared array but got string \"a\"", mismatch("tags", "a"));
        assertEquals("field tags[1] is declared string but got struct {}", mismatch("tags", List.of("a", Map.of())));
        assertEquals("field loc.lat is declared float but got string \"north\"",
                mismatch("loc", Map.of("lat", "north")));
        assertEquals("field id is declared bigint but got bigint 99999999999999999999",
                mismatch("id", new BigInteger("99999999999999999999")));
    }

    @Test
    void undeclaredFieldsAreDroppedMissingOnesStayAbsentNullsStayNull() {
        Map<String, Object> record = new HashMap<>();
        record.put("id", 1);
        record.put("other", "x");
        record.put("name", null);
        record.put("loc", Map.of("lat", 1, "alt", 5));
        record.put("tags", Arrays.asList("a", null, 3));
        Map<String, Object> expected = new HashMap<>();
        expected.put("id", 1L);
        expected.put("name", null);
        expected.put("loc", Map.of("lat", 1.0));
        expected.put("tags", Arrays.asList("a", null, "3"));
        assertEquals(expected, SCHEMA.conform(record));
    }

    @Test
    void schemalessStreamsTakeRecordsAsTheyCome() {
        StreamSchema schemaless = StreamSchema.of(Sql.parseStream("CREATE STREAM s () WITH (TYPE=\"mqtt\")"));
        assertTrue(schemaless.isSchemaless());
        Map<String, Object> record = Map.of("anything", "goes");
        assertSame(record, schemaless.conform(record));
        Sql.parseSelect("SELECT nope FROM s WHERE whatever > 1").checkFieldsDeclared(schemaless);
    }

    @Test
    void statementsMayReadDeclaredFieldsOnly() {
        Sql.parseSelect("SELECT *, temperature, demo.id, loc.lat, upper(name) FROM demo WHERE ok AND id > 1")
                .checkFieldsDeclared(SCHEMA);
        assertEquals("unknown field humidity", refusal("SELECT humidity FROM demo"));
        assertEquals("unknown field humidity", refusal("SELECT * FROM demo WHERE humidity > 1"));
        assertEquals("unknown field humidity", refusal("SELECT * FROM demo d WHERE d.humidity > 1"));
        assertEquals("unknown field Temperature", refusal("SELECT Temperature FROM demo"));
        assertEquals("unknown field loc.alt", refusal("SELECT loc.alt FROM demo"));
        assertEquals("unknown field temperature.x", refusal("SELECT temperature.x FROM demo"));
        assertEquals("unknown field humidity", refusal("SELECT abs(humidity) + 1 AS h FROM demo"));
    }
}
