package io.tether.rule.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EvaluationTest {
    private static final Map<String, Object> RECORD = record();

    private static Map<String, Object> record() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("temperature", 25.5);
        record.put("humidity", 40);
        record.put("name", "abc");
        record.put("on", true);
        record.put("missing_value", null);
        record.put("pos", Map.of("x", 3, "y", 4));
        return record;
    }

    private static boolean where(String condition) {
        return Sql.parseSelect("SELECT * FROM demo WHERE " + condition).matches(RECORD);
    }

    private static Object value(String expression) {
        return Sql.parseSelect("SELECT " + expression + " AS v FROM demo").project(RECORD).get("v");
    }

    @Test
    void comparisonsAndLogic() {
        assertTrue(where("temperature > 20"));
        assertFalse(where("temperature > 20 AND humidity >= 50"));
        assertTrue(where("temperature > 30 OR NOT (humidity = 50)"));
        assertTrue(where("name = \"abc\" AND on = true"));
        assertTrue(where("humidity <> 41 and humidity != 42"));
        assertTrue(where("pos.x < pos.y"));
        assertTrue(where("demo.humidity = 40"));
        assertTrue(where("`temperature` <= 25.5"));
        assertFalse(where("missing_value = 1"));
    }

    @Test
    void arithmetic() {
        assertEquals(43L, value("humidity + 3"));
        assertEquals(13L, value("humidity / 3"));
        assertEquals(1L, value("humidity % 3"));
        assertEquals(51.0, value("temperature * 2"));
        assertEquals(-40L, value("-humidity"));
        assertEquals(21L, value("(1 + 2) * (3 + 4)"));
        assertEquals(7L, value("1 + 2 * 3"));
        assertEquals("abc", value("name"));
    }

    @Test
    void projection() {
        Map<String, Object> result = Sql.parseSelect("SELECT temperature, humidity AS h, pos.x, nope FROM demo")
                .project(RECORD);
        assertEquals(Map.of("temperature", 25.5, "h", 40, "x", 3), result);
        Map<String, Object> all = Sql.parseSelect("SELECT *, humidity + 1 AS h1 FROM demo").project(RECORD);
        Map<String, Object> expected = new HashMap<>(RECORD);
        expected.put("h1", 41L);
        assertEquals(expected, all);
    }

    @Test
    void failuresSayWhy() {
        assertEquals("field nope is not found in the record",
                assertThrows(EvaluationException.class, () -> where("nope > 1")).getMessage());
        assertEquals("invalid comparison string > bigint",
                assertThrows(EvaluationException.class, () -> where("name > 1")).getMessage());
        assertEquals("divided by zero", assertThrows(EvaluationException.class, () -> value("humidity / 0"))
                .getMessage());
        assertEquals("WHERE must be a boolean condition, not bigint",
                assertThrows(EvaluationException.class, () -> where("humidity + 1")).getMessage());
        assertEquals("AND needs boolean operands, not bigint",
                assertThrows(EvaluationException.class, () -> where("humidity AND on")).getMessage());
    }
}
