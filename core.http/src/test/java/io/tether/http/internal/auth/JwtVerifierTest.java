package io.tether.http.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.Date;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

class JwtVerifierTest {
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path keys;
    private KeyPair pair;
    private JwtVerifier verifier;

    @BeforeEach
    void keyPair() throws Exception {
        pair = newPair();
        Files.writeString(keys.resolve("ops.pem"), pem(pair));
        verifier = new JwtVerifier(keys, "tether");
    }

    @Test
    void aTokenSignedByTheKeyItsIssuerNamesIsAccepted() throws Exception {
        Principal admin = verifier.verify(token(pair, claims("ops").claim("role", "admin").subject("alice")), NOW);
        Principal reader = verifier.verify(token(pair, claims("ops.pem")), NOW);

        assertEquals(new Principal("alice", Role.ADMIN), admin);
        assertEquals(new Principal("ops.pem", Role.READONLY), reader);
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        AuthException refused = assertThrows(AuthException.class,
                () -> verifier.verify(token(newPair(), claims("ops")), NOW));
        assertTrue(refused.getMessage().contains("signature"), refused.getMessage());
    }

    @Test
    void expiredWrongAudienceUnknownKeyAndPathIssuersAreRefused() throws Exception {
        assertThrows(AuthException.class, () -> verifier.verify(token(pair, claims("ops")
                .expirationTime(new Date(NOW - 120_000))), NOW));
        assertThrows(AuthException.class, () -> verifier.verify(token(pair, claims("ops").audience("other")), NOW));
        assertThrows(AuthException.class, () -> verifier.verify(token(pair, claims("nokey")), NOW));
        assertThrows(AuthException.class, () -> verifier.verify(token(pair, claims("../ops.pem")), NOW));
        assertThrows(AuthException.class, () -> verifier.verify(token(pair, claims("ops").claim("role", "root")),
                NOW));
        assertThrows(AuthException.class, () -> verifier.verify("not.a.jwt", NOW));
    }

    @Test
    void aTokenNotSignedWithRs256IsRefused() throws Exception {
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("ops").build());
        hmac.sign(new MACSigner(new byte[32]));

        AuthException refused = assertThrows(AuthException.class, () -> verifier.verify(hmac.serialize(), NOW));
        assertTrue(refused.getMessage().contains("RS256"), refused.getMessage());
    }

    private static JWTClaimsSet.Builder claims(String issuer) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience("tether").expirationTime(new Date(NOW + 60_000));
    }

    private static String token(KeyPair pair, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) pair.getPrivate()));
        return jwt.serialize();
    }

    private static KeyPair newPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
