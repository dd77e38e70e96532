package io.tether.rule.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tether.rule.internal.sql.grammar.KuiperSqlBaseVisitor;
import io.tether.rule.internal.sql.grammar.KuiperSqlParser;

/** Compiles parse trees of expressions. */
final class ExpressionBuilder extends KuiperSqlBaseVisitor<Expression> {
    private final List<String> streamQualifiers;

    /** @param streamQualifiers the stream's name and alias, which may prefix a field ({@code demo.temperature}) */
    ExpressionBuilder(List<String> streamQualifiers) {
        this.streamQualifiers = List.copyOf(streamQualifiers);
    }

    @Override
    public Expression visitParenthesized(KuiperSqlParser.ParenthesizedContext ctx) {
        return visit(ctx.expr());
    }

    @Override
    public Expression visitUnary(KuiperSqlParser.UnaryContext ctx) {
        Expression operand = visit(ctx.expr());
        return ctx.op.getType() == KuiperSqlParser.MINUS ? new Negation(operand) : operand;
    }

    @Override
    public Expression visitArithmetic(KuiperSqlParser.ArithmeticContext ctx) {
        return new Arithmetic(ctx.op.getText(), visit(ctx.left), visit(ctx.right));
    }

    @Override
    public Expression visitComparison(KuiperSqlParser.ComparisonContext ctx) {
        String operator = ctx.op.getType() == KuiperSqlParser.NEQ ? "!=" : ctx.op.getText();
        return new Comparison(operator, visit(ctx.left), visit(ctx.right));
    }

    @Override
    public Expression visitNot(KuiperSqlParser.NotContext ctx) {
        return new Not(visit(ctx.expr()));
    }

    @Override
    public Expression visitAnd(KuiperSqlParser.AndContext ctx) {
        return new Logical(true, visit(ctx.left), visit(ctx.right));
    }

    @Override
    public Expression visitOr(KuiperSqlParser.OrContext ctx) {
        return new Logical(false, visit(ctx.left), visit(ctx.right));
    }

    @Override
    public Expression visitCall(KuiperSqlParser.CallContext ctx) {
        String name = Identifiers.text(ctx.function);
        BuiltinFunction function = Functions.named(name);
        if (ctx.STAR() != null) {
            throw new SqlException("function " + name + " does not take *");
        }
        List<Expression> arguments = ctx.expr().stream().map(this::visit).toList();
        function.check(name, arguments);
        return new FunctionCall(function, arguments);
    }

    @Override
    public Expression visitField(KuiperSqlParser.FieldContext ctx) {
        List<String> path = new ArrayList<>(ctx.identifier().stream().map(Identifiers::text).toList());
        if (path.size() > 1 && streamQualifiers.contains(path.get(0))) {
            path.remove(0);
        }
        return new FieldReference(path);
    }

    @Override
    public Expression visitNumber(KuiperSqlParser.NumberContext ctx) {
        String text = ctx.getText();
        if (text.contains(".") || text.toUpperCase(Locale.ROOT).contains("E")) {
            return new Literal(Double.parseDouble(text));
        }
        try {
            return new Literal(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new SqlException("number " + text + " is out of range");
        }
    }

    @Override
    public Expression visitString(KuiperSqlParser.StringContext ctx) {
        return new Literal(Identifiers.unquote(ctx.getText()));
    }

    @Override
    public Expression visitBoolean(KuiperSqlParser.BooleanContext ctx) {
        return new Literal(ctx.TRUE() != null);
    }
}
