/*
 * eKuiper's SQL dialect, the subset Tether runs: CREATE STREAM and SELECT ... FROM one stream [WHERE ...].
 * Strings are double-quoted and identifiers may be back-quoted, the other way round from standard SQL.
 * Clauses and calls outside the subset are parsed too, so that they are refused as "not supported" rather than as
 * syntax errors.
 */
grammar KuiperSql;

options { caseInsensitive = true; }

statement
    : (createStream | select) SEMI? EOF
    ;

createStream
    : CREATE STREAM name=identifier LPAREN (fieldDef (COMMA fieldDef)*)? RPAREN
      WITH LPAREN streamOption (COMMA streamOption)* RPAREN
    ;

fieldDef
    : identifier dataType
    ;

dataType
    : identifier (LPAREN (dataType | fieldDef) (COMMA (dataType | fieldDef))* RPAREN)?
    ;

streamOption
    : identifier EQ STRING
    ;

select
    : SELECT selectItem (COMMA selectItem)* FROM from=identifier (AS? alias=identifier)?
      (WHERE where=expr)? unsupportedClause?
    ;

selectItem
    : STAR                         # allFields
    | expr (AS? alias=identifier)? # projection
    ;

unsupportedClause
    : clause=(GROUP | ORDER | HAVING | LIMIT | JOIN | INNER | LEFT | RIGHT | FULL | CROSS) .*?
    ;

expr
    : LPAREN expr RPAREN                                  # parenthesized
    | op=(MINUS | PLUS) expr                              # unary
    | left=expr op=(STAR | SLASH | PERCENT) right=expr    # arithmetic
    | left=expr op=(PLUS | MINUS) right=expr              # arithmetic
    | left=expr op=(EQ | NEQ | LT | LE | GT | GE) right=expr # comparison
    | NOT expr                                            # not
    | left=expr AND right=expr                            # and
    | left=expr OR right=expr                             # or
    | function=identifier LPAREN (STAR | expr (COMMA expr)*)? RPAREN # call
    | identifier (DOT identifier)*                        # field
    | NUMBER                                              # number
    | STRING                                              # string
    | (TRUE | FALSE)                                      # boolean
    ;

identifier
    : IDENTIFIER
    | QUOTED_IDENTIFIER
    ;

CREATE: 'CREATE';
STREAM: 'STREAM';
WITH: 'WITH';
SELECT: 'SELECT';
FROM: 'FROM';
WHERE: 'WHERE';
AS: 'AS';
AND: 'AND';
OR: 'OR';
NOT: 'NOT';
TRUE: 'TRUE';
FALSE: 'FALSE';
GROUP: 'GROUP';
ORDER: 'ORDER';
HAVING: 'HAVING';
LIMIT: 'LIMIT';
JOIN: 'JOIN';
INNER: 'INNER';
LEFT: 'LEFT';
RIGHT: 'RIGHT';
FULL: 'FULL';
CROSS: 'CROSS';

LPAREN: '(';
RPAREN: ')';
COMMA: ',';
DOT: '.';
SEMI: ';';
STAR: '*';
SLASH: '/';
PERCENT: '%';
PLUS: '+';
MINUS: '-';
EQ: '=';
NEQ: '!=' | '<>';
LE: '<=';
GE: '>=';
LT: '<';
GT: '>';

NUMBER: DIGIT+ ('.' DIGIT+)? ('E' [+-]? DIGIT+)?;
STRING: '"' ('\\' . | ~["\\])* '"';
QUOTED_IDENTIFIER: '`' ~'`'+ '`';
IDENTIFIER: [A-Z_] [A-Z_0-9]*;

WS: [ \t\r\n]+ -> skip;
UNKNOWN_CHARACTER: .;

fragment DIGIT: [0-9];
