package io.tether.http.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

class UserFileTest {
    @TempDir
    Path dir;

    @Test
    void usersLogInWithTheirPasswordAndGetTheirRole() throws Exception {
        Path file = write("# operators\nalice:" + hash("alice-pw") + ":admin\n\nbob:" + hash("bob-pw") + "\n");
        UserFile users = new UserFile(file);

        assertEquals(new Principal("alice", Role.ADMIN), users.verify("alice", "alice-pw"));
        assertEquals(new Principal("alice", Role.ADMIN), users.verify("alice", "alice-pw"), "remembered");
        assertEquals(new Principal("bob", Role.READONLY), users.verify("bob", "bob-pw"), "readonly by default");
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefusedAlikeAndWithoutTheCredentials() throws Exception {
        UserFile users = new UserFile(write("alice:" + hash("alice-pw") + ":admin\n"));
        users.verify("alice", "alice-pw");

        AuthException wrong = assertThrows(AuthException.class, () -> users.verify("alice", "guess"));
        AuthException unknown = assertThrows(AuthException.class, () -> users.verify("mallory", "alice-pw"));

        assertEquals(wrong.getMessage(), unknown.getMessage());
        assertFalse(wrong.getMessage().contains("guess"));
    }

    @Test
    void anEditedFileIsReadAgain() throws Exception {
        Path file = write("alice:" + hash("old") + ":admin\n");
        UserFile users = new UserFile(file);
        users.verify("alice", "old");

        Files.writeString(file, "alice:" + hash("new") + ":readonly\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));

        assertThrows(AuthException.class, () -> users.verify("alice", "old"));
        assertEquals(new Principal("alice", Role.READONLY), users.verify("alice", "new"));
    }

    @Test
    void linesThatAreNotUserHashRoleAreSkippedAndAMissingFileHasNoUsers() throws Exception {
        UserFile users = new UserFile(write("plain:secret\nodd:" + hash("x") + ":root\nok:" + hash("ok") + "\n"));

        assertEquals(1, users.users());
        assertThrows(AuthException.class, () -> users.verify("plain", "secret"));
        assertEquals(0, new UserFile(dir.resolve("missing")).users());
    }

    @Test
    void htpasswdHashesAreAccepted() throws Exception {
        String hash = hash("pw").replaceFirst("^\\$2a\\$", "\\$2y\\$");
        UserFile users = new UserFile(write("carol:" + hash + ":admin\n"));

        assertEquals(Role.ADMIN, users.verify("carol", "pw").role());
    }

    private Path write(String text) throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, text);
        return file;
    }

    private static String hash(String password) {
        return BCrypt.hashpw(password, BCrypt.gensalt(4));
    }
}
