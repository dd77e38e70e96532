package io.tether.rule.internal.sql;

import io.tether.rule.internal.sql.grammar.KuiperSqlParser.IdentifierContext;

final class Identifiers {

    private Identifiers() {
    }

    /** An identifier's name: back quotes removed. */
    static String text(IdentifierContext identifier) {
        String text = identifier.getText();
        return identifier.QUOTED_IDENTIFIER() != null ? text.substring(1, text.length() - 1) : text;
    }

    /** A double-quoted string literal's value, with {@code \"}, {@code \\}, {@code \n} and {@code \t} unescaped. */
    static String unquote(String literal) {
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == '\\' && i + 1 < literal.length() - 1) {
                char escaped = literal.charAt(++i);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> escaped;
                });
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }
}
