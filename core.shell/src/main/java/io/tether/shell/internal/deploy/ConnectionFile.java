package io.tether.shell.internal.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A connection file in the deploy folder: {@code <id>.connection.json} or {@code <id>.connection.yaml}
 * ({@code .yml}) holding {@code {"typ": "...", "props": {...}}} (and optionally {@code "id"}, which must be the
 * file's). Read, never written.
 */
final class ConnectionFile {
    private static final Pattern NAME = Pattern.compile("(?i)([^.].*)\\.connection\\.(json|yaml|yml)");
    static final long MAX_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper YAML = new YAMLMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** What a file defines, with the hash of it that says whether it changed since it was applied. */
    record Content(String id, String typ, Map<String, Object> props, String hash) {
    }

    /** A file that cannot be applied, with the reason (never the file's text: it may hold secrets). */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private ConnectionFile() {
    }

    static boolean isConnectionFile(String fileName) {
        return NAME.matcher(fileName).matches();
    }

    /** The connection id a file name gives. */
    static String idOf(String fileName) {
        Matcher matcher = NAME.matcher(fileName);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(fileName + " is not a connection file");
        }
        return matcher.group(1);
    }

    static Content read(Path file) throws Invalid {
        String name = file.getFileName().toString();
        String id = idOf(name);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new Invalid("bigger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Invalid("cannot be read: " + e.getClass().getSimpleName());
        }
        boolean json = name.toLowerCase(Locale.ROOT).endsWith(".json");
        Object root;
        try {
            root = (json ? JSON : YAML).readValue(bytes, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new Invalid("not valid " + (json ? "JSON" : "YAML")
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new Invalid("cannot be read: " + e.getClass().getSimpleName());
        }
        if (!(root instanceof Map<?, ?> fields)) {
            throw new Invalid("must hold an object with typ and props");
        }
        for (Object key : fields.keySet()) {
            if (!"typ".equals(key) && !"props".equals(key) && !"id".equals(key)) {
                throw new Invalid("unknown field '" + key + "': a connection file holds typ, props and"
                        + " optionally id");
            }
        }
        if (fields.containsKey("id") && !id.equals(fields.get("id"))) {
            throw new Invalid("its id must be the file's name, " + id);
        }
        if (!(fields.get("typ") instanceof String typ) || typ.isBlank()) {
            throw new Invalid("typ (the connection type, a text) is missing");
        }
        Object props = fields.get("props");
        if (props != null && !(props instanceof Map<?, ?>)) {
            throw new Invalid("props must be an object");
        }
        Map<String, Object> propsMap = new LinkedHashMap<>();
        if (props != null) {
            ((Map<?, ?>) props).forEach((key, value) -> propsMap.put(String.valueOf(key), value));
        }
        return new Content(id, typ, propsMap, hash(typ, propsMap));
    }

    static String hash(String typ, Map<String, Object> props) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(typ.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(CANONICAL.writeValueAsBytes(props));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot hash a connection file", e);
        }
    }
}
