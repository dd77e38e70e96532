package io.tether.rule.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FunctionsTest {
    private static final Map<String, Object> RECORD = record();

    private static Map<String, Object> record() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("temperature", 25.5);
        record.put("humidity", -40);
        record.put("name", " Abc ");
        record.put("path", "/test/device001/message");
        record.put("nothing", null);
        record.put("tags", List.of("a", "b"));
        record.put("pos", Map.of("x", 3));
        return record;
    }

    private static Object value(String expression) {
        return Sql.parseSelect("SELECT " + expression + " AS v FROM demo").project(RECORD).get("v");
    }

    private static String createError(String expression) {
        return assertThrows(SqlException.class, () -> Sql.parseSelect("SELECT " + expression + " FROM demo"))
                .getMessage();
    }

    private static String runtimeError(String expression) {
        return assertThrows(EvaluationException.class, () -> value(expression)).getMessage();
    }

    @Test
    void mathFunctions() {
        assertEquals(40L, value("abs(humidity)"));
        assertEquals(25.5, value("abs(-temperature)"));
        assertEquals(26.0, value("ceil(temperature)"));
        assertEquals(26.0, value("CEILING(temperature)"));
        assertEquals(25.0, value("floor(temperature)"));
        assertEquals(26.0, value("round(temperature)"));
        assertEquals(-3.0, value("round(-2.5)"));
        assertEquals(3.14, value("round(3.14159, 2)"));
        assertEquals(1200.0, value("round(1234, -2)"));
        assertEquals(1000.0, value("round(600, -3)"));
        assertEquals(0.0, value("round(600, -4)"));
        assertEquals(25.5, value("round(temperature, 2147483647)"));
        assertEquals(0.0, value("round(temperature, -2147483648)"));
        assertEquals(3.0, value("sqrt(9)"));
        assertEquals(8.0, value("power(2, 3)"));
        assertEquals(8.0, value("pow(2, 3)"));
        assertEquals(1.0, value("mod(7, 3)"));
        assertEquals(-1.0, value("mod(-7, 3)"));
        assertEquals(1.0, value("exp(0)"));
        assertEquals(1.0, value("ln(exp(1))"));
        assertEquals(2.0, value("log(100)"));
        assertEquals(3.0, value("log(2, 8)"));
        assertEquals(-1L, value("sign(humidity)"));
        assertEquals(0L, value("sign(0)"));
    }

    @Test
    void mathFunctionsGiveNullForNullAndForNotANumber() {
        assertNull(value("abs(nothing)"));
        assertNull(value("round(temperature, nothing)"));
        assertNull(value("sqrt(-1)"));
        assertNull(value("mod(1, 0)"));
        assertEquals("function ln: the result is out of range", runtimeError("ln(0)"));
        assertEquals("function abs expects a number as argument 1, not string \" Abc \"", runtimeError("abs(name)"));
    }

    @Test
    void stringFunctions() {
        assertEquals("ab", value("concat(\"a\", \"b\")"));
        assertEquals(" Abc 25.5", value("concat(name, temperature, nothing)"));
        assertEquals(" abc ", value("lower(name)"));
        assertEquals(" ABC ", value("upper(name)"));
        assertEquals("Abc", value("trim(name)"));
        assertEquals("Abc ", value("ltrim(name)"));
        assertEquals(" Abc", value("rtrim(name)"));
        assertEquals(5L, value("length(name)"));
        assertEquals(2L, value("length(tags)"));
        assertEquals(1L, value("length(pos)"));
        assertEquals(0L, value("length(nothing)"));
        assertEquals(3L, value("numbytes(\"h\u00e9\")"));
        assertEquals(2L, value("length(\"h\u00e9\")"));
        assertEquals(1L, value("indexof(name, \"A\")"));
        assertEquals(-1L, value("indexof(nothing, \"A\")"));
        assertEquals(true, value("startswith(path, \"/test\")"));
        assertEquals(true, value("endswith(path, \"message\")"));
        assertEquals(false, value("endswith(nothing, \"message\")"));
        assertEquals("  x", value("lpad(\"x\", 2)"));
        assertEquals("x  ", value("rpad(\"x\", 2)"));
        assertEquals("test", value("substring(path, 1, 5)"));
        assertEquals("message", value("substring(path, 16)"));
        assertEquals("", value("substring(path, 100)"));
        assertEquals("/test/device001/message", value("substring(path, 0, 100)"));
        assertEquals("", value("split_value(path, \"/\", 0)"));
        assertEquals("message", value("split_value(path, \"/\", 3)"));
        assertEquals("message", value("split_value(path, \"/\", -1 * 1)"));
        assertEquals(true, value("regexp_matches(path, \"device[0-9]+\")"));
        assertEquals("/test/device/message", value("regexp_replace(path, \"[0-9]+\", \"\")"));
        assertEquals("device001", value("regexp_substr(path, \"device[0-9]+\")"));
        assertNull(value("upper(nothing)"));
        assertNull(value("substring(nothing, 1)"));
    }

    @Test
    void stringFunctionsSayWhatFails() {
        assertEquals("function substring: the start index 5 is after the end index 1",
                runtimeError("substring(path, 5, 1)"));
        assertEquals("function split_value: index 4 is out of range: the value splits into 4 parts",
                runtimeError("split_value(path, \"/\", 4)"));
        assertEquals("function lpad expects an integer as argument 2, not float 1.5",
                runtimeError("lpad(name, temperature - 24)"));
        assertEquals("function rpad: pads with at most 65536 spaces, not 2000000000",
                runtimeError("rpad(name, 2000000000)"));
        assertEquals("function upper expects a string as argument 1, not array [a, b]", runtimeError("upper(tags)"));
        assertTrue(runtimeError("regexp_matches(path, \"(\")").startsWith(
                "function regexp_matches: invalid regular expression \"(\": "));
    }

    @Test
    void castConvertsAsEkuiper() {
        assertEquals(25L, value("cast(temperature, \"bigint\")"));
        assertEquals(12L, value("cast(\"12\", \"bigint\")"));
        assertEquals(1L, value("cast(true, \"BIGINT\")"));
        assertEquals(-40.0, value("cast(humidity, \"float\")"));
        assertEquals(1.5, value("cast(\"1.5\", \"float\")"));
        assertEquals("25.5", value("cast(temperature, \"string\")"));
        assertEquals("-40", value("cast(humidity, \"string\")"));
        assertEquals(true, value("cast(humidity, \"boolean\")"));
        assertEquals(false, value("cast(\"false\", \"boolean\")"));
        assertEquals(Instant.ofEpochMilli(1700000000000L), value("cast(1700000000000, \"datetime\")"));
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"),
                value("cast(\"2024-01-01T08:00:00.000+08:00\", \"datetime\")"));
        assertNull(value("cast(nothing, \"bigint\")"));
        assertEquals("function cast: cannot cast string \" Abc \" to bigint", runtimeError("cast(name, \"bigint\")"));
        assertEquals("function cast: cannot cast struct {x=3} to string", runtimeError("cast(pos, \"string\")"));
    }

    @Test
    void otherFunctions() {
        assertEquals(true, value("isnull(nothing)"));
        assertEquals(true, value("isNull(absent)"));
        assertEquals(false, value("isnull(name)"));
        assertEquals(25.5, value("coalesce(nothing, absent, temperature, name)"));
        assertNull(value("coalesce(nothing)"));
        assertEquals(36, ((String) value("newuuid()")).length());
        long now = System.currentTimeMillis();
        assertTrue((Long) value("tstamp()") >= now);
    }

    @Test
    void functionsComposeAndWorkInWhere() {
        assertEquals("TEST", value("upper(split_value(path, \"/\", 1))"));
        assertEquals(3.0, value("round(abs(humidity) / 13)"));
        assertTrue(Sql.parseSelect("SELECT * FROM demo WHERE startswith(lower(trim(name)), \"ab\") "
                + "AND abs(humidity) > 30").matches(RECORD));
        assertFalse(Sql.parseSelect("SELECT * FROM demo WHERE isnull(name)").matches(RECORD));
    }

    @Test
    void aCallWithoutAliasIsNamedAfterItsFunction() {
        assertEquals(Map.of("upper", " ABC ", "abs", 40L),
                Sql.parseSelect("SELECT UPPER(name), abs(humidity) FROM demo").project(RECORD));
    }

    @Test
    void wrongArgumentCountsAreRefusedAtCreation() {
        assertEquals("function abs expects 1 argument, not 2", createError("abs(1, 2)"));
        assertEquals("function ABS expects 1 argument, not 0", createError("ABS()"));
        assertEquals("function round expects 1 or 2 arguments, not 3", createError("round(1, 2, 3)"));
        assertEquals("function substring expects 2 or 3 arguments, not 1", createError("substring(name)"));
        assertEquals("function split_value expects 3 arguments, not 2", createError("split_value(path, \"/\")"));
        assertEquals("function concat expects at least 1 argument, not 0", createError("concat()"));
        assertEquals("function newuuid expects no arguments, not 1", createError("newuuid(1)"));
        assertEquals("function abs does not take *", createError("abs(*)"));
    }

    @Test
    void literalArgumentsOfTheWrongTypeAreRefusedAtCreation() {
        assertEquals("function abs expects a number as argument 1, not string \"x\"", createError("abs(\"x\")"));
        assertEquals("function sqrt expects a number as argument 1, not boolean", createError("sqrt(1 > 2)"));
        assertEquals("function upper expects a string as argument 1, not bigint 1", createError("upper(1)"));
        assertEquals("function lpad expects an integer as argument 2, not float 1.5", createError("lpad(name, 1.5)"));
        assertEquals("function substring expects a non-negative integer as argument 2, not bigint -1",
                createError("substring(name, -1)"));
        assertEquals("function cast expects one of \"bigint\", \"float\", \"string\", \"boolean\", \"datetime\" as "
                + "argument 2", createError("cast(name, \"int\")"));
        assertEquals("function cast expects one of \"bigint\", \"float\", \"string\", \"boolean\", \"datetime\" as "
                + "argument 2", createError("cast(name, name)"));
    }

    @Test
    void unknownAndAggregateFunctionsAreNotSupported() {
        for (String name : List.of("count", "sum", "avg", "min", "max", "collect", "lag", "nosuchfunction")) {
            assertEquals("function " + name + " is not supported", createError(name + "(humidity)"));
        }
        assertEquals("function count is not supported", createError("count(*)"));
    }
}
