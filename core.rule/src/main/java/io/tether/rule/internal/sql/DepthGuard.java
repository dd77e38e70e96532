package io.tether.rule.internal.sql;

import java.util.ArrayDeque;
import java.util.Deque;

import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenSource;

import io.tether.rule.internal.sql.grammar.KuiperSqlLexer;

/**
 * Refuses, before the recursive parser sees them, statements whose expressions or types would nest deeper than the
 * parser's stack allows. Walks the tokens once without recursion and counts, at each point, the open parentheses plus
 * the operators before it at each of their levels: a bound on the depth of the tree the parser would build.
 */
final class DepthGuard {
    /** System property for the limit. */
    static final String MAX_DEPTH_PROPERTY = "tether.sql.maxDepth";
    static final int MAX_DEPTH = Integer.getInteger(MAX_DEPTH_PROPERTY, 100);

    private DepthGuard() {
    }

    /** @throws SqlException {@code expression too deep} when the bound exceeds {@link #MAX_DEPTH} */
    static void check(TokenSource tokens, int maxDepth) {
        Deque<int[]> levels = new ArrayDeque<>();
        levels.push(new int[1]);
        int depth = 1;
        for (Token token = tokens.nextToken(); token.getType() != Token.EOF; token = tokens.nextToken()) {
            switch (token.getType()) {
                case KuiperSqlLexer.LPAREN -> {
                    levels.push(new int[1]);
                    depth++;
                }
                case KuiperSqlLexer.RPAREN -> {
                    if (levels.size() > 1) {
                        depth -= 1 + levels.pop()[0];
                    }
                }
                case KuiperSqlLexer.COMMA, KuiperSqlLexer.SELECT, KuiperSqlLexer.FROM, KuiperSqlLexer.WHERE -> {
                    depth -= levels.peek()[0];
                    levels.peek()[0] = 0;
                }
                case KuiperSqlLexer.OR, KuiperSqlLexer.AND, KuiperSqlLexer.NOT, KuiperSqlLexer.EQ,
                        KuiperSqlLexer.NEQ, KuiperSqlLexer.LT, KuiperSqlLexer.LE, KuiperSqlLexer.GT,
                        KuiperSqlLexer.GE, KuiperSqlLexer.PLUS, KuiperSqlLexer.MINUS, KuiperSqlLexer.STAR,
                        KuiperSqlLexer.SLASH, KuiperSqlLexer.PERCENT -> {
                    levels.peek()[0]++;
                    depth++;
                }
                default -> {
                }
            }
            if (depth > maxDepth) {
                throw new SqlException("expression too deep: more than " + maxDepth
                        + " levels of parentheses and operators (at line " + token.getLine() + ", column "
                        + (token.getCharPositionInLine() + 1) + ")");
            }
        }
    }
}
