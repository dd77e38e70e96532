package io.tether.lib.mqtt;

import java.io.ByteArrayOutputStream;
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
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS beyond the JVM's defaults: PEM files for the trusted CA and for the client's certificate and key (PKCS#8, or
 * PKCS#1 for RSA), and skipping the server's certificate check.
 *
 * @param rootCaPath         {@code null} for the JVM's trusted CAs
 * @param certificationPath  the client certificate, {@code null} for none (then also {@code privateKeyPath})
 * @param insecureSkipVerify accepts any server certificate and host name
 */
public record TlsSettings(String rootCaPath, String certificationPath, String privateKeyPath,
        boolean insecureSkipVerify) {

    /** The JVM's default TLS setup. */
    public static final TlsSettings NONE = new TlsSettings(null, null, null, false);

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    /** {@code true} when these ask for anything beyond the JVM's default TLS setup. */
    public boolean custom() {
        return rootCaPath != null || certificationPath != null || insecureSkipVerify;
    }

    /** A socket factory for these settings; reads the files. */
    public SSLSocketFactory socketFactory() throws GeneralSecurityException, IOException {
        return sslContext().getSocketFactory();
    }

    /** A TLS context for these settings, for clients that take a context rather than a socket factory; reads the files. */
    public SSLContext sslContext() throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(certificationPath == null ? null : keyManagers(), trustManagers(), null);
        return context;
    }

    private javax.net.ssl.KeyManager[] keyManagers() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry("client", privateKey(Path.of(privateKeyPath)), password,
                certificates(Path.of(certificationPath)).toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    private TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
        if (insecureSkipVerify) {
            return new TrustManager[] { new TrustingEveryone() };
        }
        if (rootCaPath == null) {
            return null;
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (Certificate certificate : certificates(Path.of(rootCaPath))) {
            store.setCertificateEntry("ca" + n++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static Collection<? extends Certificate> certificates(Path file)
            throws GeneralSecurityException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + file);
            }
            return certificates;
        }
    }

    private static PrivateKey privateKey(Path file) throws GeneralSecurityException, IOException {
        Matcher pem = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (pem.find()) {
            byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
            switch (pem.group(1)) {
                case "PRIVATE KEY":
                    return pkcs8(der);
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs1ToPkcs8(der)));
                default:
                    break;
            }
        }
        throw new GeneralSecurityException("no PKCS#8 or PKCS#1 RSA private key in " + file
                + " (convert it with: openssl pkcs8 -topk8 -nocrypt)");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, which the JDK's KeyFactory reads. */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] rsaAlgorithm = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
            0x01, 0x01, 0x05, 0x00 };
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] { 0x02, 0x01, 0x00 });
        body.writeBytes(rsaAlgorithm);
        body.writeBytes(derHeader(0x04, pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes(derHeader(0x30, body.size()));
        info.writeBytes(body.toByteArray());
        return info.toByteArray();
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) {
            return new byte[] { (byte) tag, (byte) length };
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        byte[] header = new byte[2 + bytes];
        header[0] = (byte) tag;
        header[1] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            header[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
        }
        return header;
    }

    /** insecureSkipVerify: accepts any server certificate (the host name check is turned off separately). */
    private static final class TrustingEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
