package io.tether.dataserver.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The listener's TLS context: from a PEM certificate and key, or from a key store. */
final class Tls {
    private static final char[] IN_MEMORY_PASSWORD = "tether".toCharArray();

    private Tls() {
    }

    /** @throws IOException naming the file that cannot be read or used */
    static SslContextFactory.Server serverContext(Settings settings) throws IOException {
        SslContextFactory.Server context = new SslContextFactory.Server();
        if (!settings.keyStore().isEmpty()) {
            char[] password = settings.keyStorePassword().toCharArray();
            try {
                context.setKeyStore(KeyStore.getInstance(Path.of(settings.keyStore()).toFile(), password));
            } catch (GeneralSecurityException | IOException e) {
                throw new IOException("data server key store " + settings.keyStore() + " cannot be read: "
                        + e.getMessage(), e);
            }
            context.setKeyStorePassword(settings.keyStorePassword());
        } else {
            context.setKeyStore(pemKeyStore(Path.of(settings.certFile()), Path.of(settings.keyFile())));
            context.setKeyStorePassword(new String(IN_MEMORY_PASSWORD));
        }
        return context;
    }

    private static KeyStore pemKeyStore(Path certFile, Path keyFile) throws IOException {
        Collection<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("data server certFile " + certFile + " cannot be read: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException("data server certFile " + certFile + " holds no certificate");
        }
        PrivateKey key = privateKey(keyFile, chain.iterator().next().getPublicKey().getAlgorithm());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("dataserver", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("data server certFile and keyFile do not make a key pair: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path keyFile, String algorithm) throws IOException {
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IOException("data server keyFile " + keyFile
                    + " is not an unencrypted PKCS #8 PEM key (-----BEGIN PRIVATE KEY-----)");
        }
        String base64 = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("data server keyFile " + keyFile + " cannot be read: " + e.getMessage(), e);
        }
    }
}
