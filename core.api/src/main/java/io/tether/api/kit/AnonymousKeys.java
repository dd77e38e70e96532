package io.tether.api.kit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.tether.api.io.NodeContext;

/**
 * The keys under which sources and sinks without {@code connectionSelector} attach to anonymous connections
 * ({@link io.tether.api.connection.ConnectionPool#attach}). Nodes of one type that attach with one key share one
 * connection, so the key decides how much is shared. The pool makes the connection's id of the key
 * ({@code anon_} and the key with every character other than letters, digits, {@code _} and {@code -} as {@code _}),
 * and shows it: a key must never hold a secret. As in eKuiper:
 * <ul>
 * <li>a connection per node ({@link #perNode}): mqtt keys by rule, operator and topic, so that rules never share a
 * client (and its in-flight window, its order);</li>
 * <li>a connection per resource ({@link #shared}): sql keys by database URL, httppush by its endpoint path, neuron by
 * its URL, so that every rule on one database shares one pool of sockets.</li>
 * </ul>
 * With {@code connectionSelector} in the props the pool ignores the key.
 */
public final class AnonymousKeys {
    /** Salt of the digests in keys, new at each start, so that a key shows nothing of a secret, even by brute force. */
    private static final byte[] SALT = new byte[32];

    static {
        new SecureRandom().nextBytes(SALT);
    }

    private AnonymousKeys() {
    }

    /** A connection of the node's own: {@code <rule>/<operator>/<parts...>}, e.g. the mqtt sink's topic as a part. */
    public static String perNode(NodeContext context, Object... parts) {
        StringBuilder key = new StringBuilder(context.ruleId()).append('/').append(context.operatorId());
        for (Object part : parts) {
            key.append('/').append(part);
        }
        return key.toString();
    }

    /**
     * A connection shared by every node that names the same resource. The key is {@code shown}, which must hold no
     * secret (mask a URL's password first, e.g. with {@link io.tether.api.connection.ConnectionPool#maskSecrets(String)}),
     * followed, when any of {@code hidden} is not {@code null}, by {@code #} and a salted digest of the hidden parts:
     * resources that differ only in a secret (a password) get different connections, and the key shows none of it.
     *
     * @param shown  what identifies the resource and may be shown: a URL without its password, an endpoint path
     * @param hidden what identifies it too but must not be shown: the URL with its password, a password prop;
     *               {@code null}s are left out
     */
    public static String shared(String shown, Object... hidden) {
        Objects.requireNonNull(shown, "shown");
        if (Arrays.stream(hidden).allMatch(Objects::isNull)) {
            return shown;
        }
        String secret = Arrays.stream(hidden).map(String::valueOf).collect(Collectors.joining("\u0000"));
        return shown + "#" + digest(shown + '\u0000' + secret);
    }

    private static String digest(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)), 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
