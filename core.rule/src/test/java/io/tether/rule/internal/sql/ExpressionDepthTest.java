package io.tether.rule.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpressionDepthTest {

    private static void assertTooDeep(String sql) {
        SqlException e = assertThrows(SqlException.class,
                () -> Sql.parseSelect(sql), "refused before the parser recurses");
        assertTrue(e.getMessage().startsWith("expression too deep"), e.getMessage());
    }

    private static void assertStreamTooDeep(String sql) {
        SqlException e = assertThrows(SqlException.class, () -> Sql.parseStream(sql));
        assertTrue(e.getMessage().startsWith("expression too deep"), e.getMessage());
    }

    @Test
    void longChainsOfOperatorsAreRefusedAsTooDeep() {
        assertTooDeep("SELECT * FROM s WHERE " + "a = 1 OR ".repeat(450) + "a = 2");
        assertTooDeep("SELECT * FROM s WHERE " + "a = 1 OR ".repeat(100_000) + "a = 2");
        assertTooDeep("SELECT * FROM s WHERE " + "NOT ".repeat(5000) + "a");
    }

    @Test
    void deepNestingIsRefusedAsTooDeep() {
        assertTooDeep("SELECT * FROM s WHERE " + "(".repeat(1000) + "a" + ")".repeat(1000));
        assertTooDeep("SELECT " + "abs(".repeat(10_000) + "a" + ")".repeat(10_000) + " FROM s");
        assertStreamTooDeep("CREATE STREAM s (f " + "STRUCT(x ".repeat(3000) + "BIGINT" + ")".repeat(3000)
                + ") WITH (TYPE=\"mqtt\")");
    }

    @Test
    void ordinaryStatementsStayWellWithinTheLimit() {
        SelectStatement select = Sql.parseSelect("SELECT abs(a) AS x, concat(b, \"-\", c) FROM s WHERE "
                + "a = 1 OR ".repeat(30) + "(b > 2 AND NOT c < 3)");
        assertEquals("s", select.stream());
    }

    @Test
    void aStatementJustWithinTheLimitParsesOnTheRuntimesSmallThreadStack() throws Exception {
        String sql = "SELECT * FROM s WHERE " + "a OR ".repeat(DepthGuard.MAX_DEPTH - 2) + "a";
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(null, () -> {
            try {
                Sql.parseSelect(sql);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "small-stack", 512 * 1024);
        thread.start();
        thread.join();
        assertNull(failure[0]);
    }

    @Test
    void operatorsInSeparateArgumentsOrItemsDoNotAddUp() {
        Sql.parseSelect("SELECT " + "a + 1, ".repeat(500) + "b FROM s");
    }
}
