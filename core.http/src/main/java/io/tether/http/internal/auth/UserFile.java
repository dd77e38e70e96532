package io.tether.http.internal.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The users of Basic authentication: a file of lines {@code user:hash[:role]}, the hash a bcrypt one as
 * {@code htpasswd -nB user} prints it, the role {@code admin} or {@code readonly} (the default). Lines starting with
 * {@code #} are comments. The file is read again when it changes. A bcrypt check takes tens of milliseconds on
 * purpose, so a password once verified is remembered (as an HMAC under a key of this process) until the file changes.
 */
final class UserFile {
    private static final Logger LOG = LoggerFactory.getLogger(UserFile.class);
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

    /** Checked against when the user is unknown, so that an unknown user takes as long as a wrong password. */
    private static final class Nobody {
        static final String HASH = BCrypt.hashpw("nobody", BCrypt.gensalt(10));
    }

    private record User(String hash, Role role) {
    }

    private record Loaded(FileTime modified, long size, Map<String, User> users) {
    }

    private final Path file;
    private final SecretKeySpec cacheKey;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private volatile Loaded loaded;

    UserFile(Path file) {
        this.file = file;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
    }

    Path file() {
        return file;
    }

    /** @return how many users the file holds now (0 when it is missing) */
    int users() {
        return current().users().size();
    }

    Principal verify(String user, String password) throws AuthException {
        User known = current().users().get(user);
        byte[] mac = mac(user + '\0' + password);
        if (known != null && MessageDigest.isEqual(mac, verified.get(user))) {
            return new Principal(user, known.role());
        }
        boolean matches;
        try {
            matches = BCrypt.checkpw(password, known == null ? Nobody.HASH : known.hash());
        } catch (IllegalArgumentException tooLong) {
            matches = false;
        }
        if (known == null || !matches) {
            throw new AuthException("wrong user name or password");
        }
        verified.put(user, mac);
        return new Principal(user, known.role());
    }

    private Loaded current() {
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (IOException e) {
            modified = FileTime.fromMillis(0);
            size = -1;
        }
        Loaded seen = loaded;
        if (seen != null && seen.modified().equals(modified) && seen.size() == size) {
            return seen;
        }
        synchronized (this) {
            Loaded reloaded = new Loaded(modified, size, read());
            verified.clear();
            loaded = reloaded;
            return reloaded;
        }
    }

    private Map<String, User> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            LOG.error("The users file {} does not exist: nobody can log in with Basic authentication", file);
            return Map.of();
        } catch (IOException e) {
            LOG.error("Cannot read the users file {}: nobody can log in with Basic authentication ({})", file,
                    e.getClass().getSimpleName());
            return Map.of();
        }
        Map<String, User> users = new HashMap<>();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", 3);
            if (parts.length < 2 || parts[0].isBlank() || !BCRYPT.matcher(parts[1]).matches()) {
                LOG.error("Line {} of the users file {} is not user:bcrypt-hash[:role]; ignored", number, file);
                continue;
            }
            Role role = parts.length == 3 ? Role.parse(parts[2]).orElse(null) : Role.READONLY;
            if (role == null) {
                LOG.error("Line {} of the users file {} names an unknown role (admin or readonly); ignored", number,
                        file);
                continue;
            }
            users.put(parts[0], new User(parts[1], role));
        }
        LOG.info("Users file {} read: {} users", file, users.size());
        return users;
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
