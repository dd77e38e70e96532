package io.tether.http.internal.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Date;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies RS256 JWTs as eKuiper does: the token's {@code iss} names a PEM public key file in the key folder, whose
 * key must have signed it; its {@code aud} must name the configured audience and its {@code exp} lie ahead (a minute
 * of clock skew allowed). The {@code role} claim ({@code admin} or {@code readonly}, the default) says what the
 * bearer may do; the subject is {@code sub}, else the issuer.
 */
final class JwtVerifier {
    private static final Pattern KEY_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final long SKEW_MILLIS = 60_000;

    private final Path keyDirectory;
    private final String audience;

    JwtVerifier(Path keyDirectory, String audience) {
        this.keyDirectory = keyDirectory;
        this.audience = audience;
    }

    Path keyDirectory() {
        return keyDirectory;
    }

    Principal verify(String token, long nowMillis) throws AuthException {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AuthException("the bearer token is not a signed JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new AuthException("the JWT must be signed with RS256, not " + jwt.getHeader().getAlgorithm());
        }
        String issuer = claims.getIssuer();
        if (issuer == null || !KEY_FILE.matcher(issuer).matches()) {
            throw new AuthException("the JWT's iss must name a public key file in " + keyDirectory);
        }
        RSAPublicKey key = publicKey(issuer);
        try {
            if (!jwt.verify(new RSASSAVerifier(key))) {
                throw new AuthException("the JWT's signature does not match the key " + issuer);
            }
        } catch (JOSEException e) {
            throw new AuthException("the JWT's signature cannot be checked with the key " + issuer);
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new AuthException("the JWT's aud must name " + audience);
        }
        Date expires = claims.getExpirationTime();
        if (expires == null || expires.getTime() + SKEW_MILLIS < nowMillis) {
            throw new AuthException(expires == null ? "the JWT has no exp" : "the JWT has expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.getTime() - SKEW_MILLIS > nowMillis) {
            throw new AuthException("the JWT is not valid yet (nbf)");
        }
        Object roleClaim = claims.getClaim("role");
        Role role = roleClaim == null ? Role.READONLY : Role.parse(String.valueOf(roleClaim)).orElseThrow(
                () -> new AuthException("the JWT's role must be admin or readonly"));
        String subject = claims.getSubject() != null ? claims.getSubject() : issuer;
        return new Principal(subject, role);
    }

    /** The key file {@code name}, or {@code name.pem}, {@code name.pub}: an X.509 {@code PUBLIC KEY} in PEM. */
    private RSAPublicKey publicKey(String name) throws AuthException {
        for (String candidate : new String[] { name, name + ".pem", name + ".pub" }) {
            Path file = keyDirectory.resolve(candidate);
            String pem;
            try {
                pem = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new AuthException("the public key " + candidate + " cannot be read");
            }
            return parse(pem, candidate);
        }
        throw new AuthException("no public key " + name + " in " + keyDirectory);
    }

    static RSAPublicKey parse(String pem, String name) throws AuthException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
            throw new AuthException("the public key " + name + " is not an RSA PUBLIC KEY in PEM");
        }
    }
}
