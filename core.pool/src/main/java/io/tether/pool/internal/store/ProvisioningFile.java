package io.tether.pool.internal.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The provisioning file {@code etc/connections/connection.yaml} (SPEC §6): {@code <typ>: <id>: {props}}. An entry
 * whose props hold {@code xOperation: delete} removes the id.
 */
public final class ProvisioningFile {
    public static final String RELATIVE_PATH = "etc/connections/connection.yaml";
    static final String OPERATION = "xOperation";

    /** One entry of the file, with the hash of its content that the store remembers once it is applied. */
    public record Entry(String typ, String id, Map<String, Object> props, boolean delete, String hash) {
    }

    private static final TypeReference<Map<String, Map<String, Map<String, Object>>>> SHAPE = new TypeReference<>() {
    };
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Path file;

    public ProvisioningFile(Path home) {
        this.file = home.resolve(RELATIVE_PATH);
    }

    public Path file() {
        return file;
    }

    /** The entries in file order; none when the file does not exist. */
    public List<Entry> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        Map<String, Map<String, Map<String, Object>>> byType = new ObjectMapper(new YAMLFactory())
                .readValue(Files.readString(file, StandardCharsets.UTF_8), SHAPE);
        List<Entry> entries = new ArrayList<>();
        if (byType == null) {
            return entries;
        }
        byType.forEach((typ, byId) -> {
            if (byId != null) {
                byId.forEach((id, props) -> entries.add(entry(typ.toLowerCase(Locale.ROOT), id,
                        props == null ? Map.of() : props)));
            }
        });
        return entries;
    }

    private static Entry entry(String typ, String id, Map<String, Object> raw) {
        Map<String, Object> props = new LinkedHashMap<>(raw);
        boolean delete = "delete".equalsIgnoreCase(String.valueOf(props.remove(OPERATION)));
        return new Entry(typ, id, props, delete, hash(typ, raw));
    }

    static String hash(String typ, Map<String, Object> props) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(typ.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(CANONICAL.writeValueAsBytes(props));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot hash provisioning entry", e);
        }
    }
}
