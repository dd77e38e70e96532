package io.tether.conn.sql.internal.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a connection goes: a JDBC URL with the user and password apart, made from an eKuiper-style URL
 * ({@code postgres://user:pw@host:5432/db?sslmode=disable}, {@code mysql://user:pw@host:3306/db},
 * {@code sqlite:/path/file.db}) or taken as given from a {@code jdbc:} URL.
 *
 * @param scheme        the scheme as the user wrote it ({@code postgres}, {@code mysql}, {@code sqlite}), or the
 *                      subprotocol of a {@code jdbc:} URL: the name in "no JDBC driver installed for '…'"
 * @param jdbcUrl       the URL handed to the driver; never holds the password of an eKuiper-style URL
 * @param user          the user, or {@code null}
 * @param password      the password, or {@code null}: a secret, never logged nor shown
 * @param textDatetimes {@code true} for databases that keep date-times as text (SQLite): date-time parameters are
 *                      bound as text there
 */
public record DatabaseUrl(String scheme, String jdbcUrl, String user, String password, boolean textDatetimes) {

    static final List<String> POSTGRES = List.of("postgres", "postgresql", "pgsql");
    static final List<String> MYSQL = List.of("mysql", "mariadb");
    static final List<String> SQLITE = List.of("sqlite", "sqlite3");
    static final String SUPPORTED = "supported are " + String.join(", ", POSTGRES) + ", " + String.join(", ", MYSQL)
            + ", " + String.join(", ", SQLITE) + " and jdbc:<subprotocol>: URLs";

    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);
    /** Query parameters of Go's drivers that mean nothing to a JDBC driver. */
    private static final List<String> GO_ONLY_PARAMETERS = List.of("parseTime", "loc", "charset");

    /** Shows the password of a URL as {@code ******}: the form for messages and logs. */
    @Override
    public String toString() {
        return Secrets.maskUrl(jdbcUrl);
    }

    /**
     * @param url      the {@code dburl}/{@code url} prop
     * @param user     the {@code username} prop, used when the URL names no user
     * @param password the {@code password} prop, used when the URL holds no password
     * @throws IllegalArgumentException with a message for the user (never holding the password)
     */
    public static DatabaseUrl parse(String url, String user, String password) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("is required: a database URL such as postgres://user:pw@host:5432/db, "
                    + "mysql://user:pw@host:3306/db, sqlite:/path/file.db or a jdbc: URL");
        }
        String text = url.strip();
        Matcher scheme = SCHEME.matcher(text);
        if (!scheme.matches()) {
            throw new IllegalArgumentException(quoted(text) + " has no scheme; " + SUPPORTED);
        }
        String name = scheme.group(1).toLowerCase(Locale.ROOT);
        if (name.equals("jdbc")) {
            return fromJdbc(text, scheme.group(2), user, password);
        }
        if (SQLITE.contains(name)) {
            return sqlite(name, scheme.group(2));
        }
        if (POSTGRES.contains(name)) {
            return server(name, text, "jdbc:postgresql://", user, password, "reWriteBatchedInserts=true");
        }
        if (MYSQL.contains(name)) {
            return server(name, text, "jdbc:mariadb://", user, password, null);
        }
        throw new IllegalArgumentException("unsupported database scheme '" + name + "': " + SUPPORTED);
    }

    private static DatabaseUrl fromJdbc(String url, String rest, String user, String password) {
        int colon = rest.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(quoted(url) + " names no JDBC subprotocol");
        }
        String subprotocol = rest.substring(0, colon).toLowerCase(Locale.ROOT);
        return new DatabaseUrl(subprotocol, url, user, password, subprotocol.equals("sqlite"));
    }

    private static DatabaseUrl sqlite(String name, String path) {
        String file = path.startsWith("//") ? path.substring(2) : path;
        if (file.isBlank()) {
            throw new IllegalArgumentException("'" + name + ":' names no database file, as in sqlite:/path/file.db");
        }
        return new DatabaseUrl(name, "jdbc:sqlite:" + file, null, null, true);
    }

    /** {@code scheme://[user[:password]@]host[:port][/database][?parameters]}. */
    private static DatabaseUrl server(String name, String url, String jdbcPrefix, String user, String password,
            String defaultParameter) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // the parser's message quotes the URL, password included: not passed on
            throw new IllegalArgumentException(quoted(url) + " is not a valid URL (special "
                    + "characters in the user or password must be percent-encoded)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(quoted(url) + " names no host");
        }
        String urlUser = null;
        String urlPassword = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            urlUser = decode(parts[0]);
            urlPassword = parts.length > 1 ? decode(parts[1]) : null;
        }
        StringBuilder jdbc = new StringBuilder(jdbcPrefix).append(uri.getHost());
        if (uri.getPort() >= 0) {
            jdbc.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        jdbc.append(path == null || path.isEmpty() ? "/" : path);
        String parameters = parameters(uri.getRawQuery(), defaultParameter);
        if (!parameters.isEmpty()) {
            jdbc.append('?').append(parameters);
        }
        return new DatabaseUrl(name, jdbc.toString(), urlUser != null && !urlUser.isEmpty() ? urlUser : user,
                urlPassword != null ? urlPassword : password, false);
    }

    private static String parameters(String query, String defaultParameter) {
        List<String> kept = query == null ? new java.util.ArrayList<>()
                : java.util.Arrays.stream(query.split("&"))
                        .filter(parameter -> !parameter.isEmpty())
                        .filter(parameter -> !GO_ONLY_PARAMETERS.contains(parameter.split("=", 2)[0]))
                        .collect(Collectors.toCollection(java.util.ArrayList::new));
        if (defaultParameter != null) {
            String key = defaultParameter.split("=", 2)[0];
            if (kept.stream().noneMatch(parameter -> parameter.split("=", 2)[0].equalsIgnoreCase(key))) {
                kept.add(defaultParameter);
            }
        }
        return String.join("&", kept);
    }

    /** The URL for a message: masked, or reduced to its scheme when it holds credentials too odd to mask surely. */
    private static String quoted(String url) {
        String masked = Secrets.maskUrl(url);
        int at = masked.lastIndexOf('@');
        if (at >= 0 && (masked.indexOf('@') != at || !masked.substring(0, at).contains(Secrets.MASK))) {
            int scheme = masked.indexOf("://");
            return "'" + (scheme > 0 ? masked.substring(0, scheme + 3) : "") + "…'";
        }
        return "'" + masked + "'";
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
