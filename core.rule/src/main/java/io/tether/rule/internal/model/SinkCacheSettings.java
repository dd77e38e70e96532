package io.tether.rule.internal.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sink cache props of an action, with eKuiper's names and defaults: an emission that failed with a retryable
 * error is kept (memory first, then disk pages) and resent in order once the sink's connection is back.
 *
 * @param memoryCacheThreshold emissions kept in memory before later ones go to disk pages
 * @param maxDiskCache         emissions kept on disk at most; beyond, the oldest are dropped and counted
 * @param bufferPageSize       emissions per disk page, the unit of disk reads and writes
 * @param resendIntervalMillis pause between two resends
 * @param cleanCacheAtStop     whether a stop deletes the cache instead of keeping it on disk for the next start
 * @param resendIndicatorField a field set to {@code true} in each record that is resent, or {@code null}
 */
public record SinkCacheSettings(boolean enableCache, int memoryCacheThreshold, int maxDiskCache, int bufferPageSize,
        long resendIntervalMillis, boolean cleanCacheAtStop, boolean resendAlterQueue, int resendPriority,
        String resendIndicatorField) {

    public static final SinkCacheSettings DEFAULT = new SinkCacheSettings(false, 1024, 1_024_000, 256, 0, false, false,
            0, null);
    /** The props of an action that configure its cache, not its sink. */
    public static final List<String> PROPS = List.of("enableCache", "memoryCacheThreshold", "maxDiskCache",
            "bufferPageSize", "resendInterval", "cleanCacheAtStop", "resendAlterQueue", "resendPriority",
            "resendIndicatorField");

    /**
     * The cache settings an action's props give, defaults for the ones they do not.
     *
     * @throws IllegalArgumentException naming the prop whose value is not valid
     */
    public static SinkCacheSettings of(Map<String, Object> props) {
        SinkCacheSettings d = DEFAULT;
        int bufferPageSize = whole(props, "bufferPageSize", d.bufferPageSize, 1, Integer.MAX_VALUE);
        int maxDiskCache = whole(props, "maxDiskCache", d.maxDiskCache, 0, Integer.MAX_VALUE);
        if (props.containsKey("maxDiskCache") || props.containsKey("bufferPageSize")) {
            if (maxDiskCache < bufferPageSize) {
                throw new IllegalArgumentException("maxDiskCache must be at least bufferPageSize (" + bufferPageSize
                        + "), not " + maxDiskCache);
            }
        }
        boolean resendAlterQueue = bool(props, "resendAlterQueue", d.resendAlterQueue);
        if (resendAlterQueue) {
            throw new IllegalArgumentException("resendAlterQueue is not supported: resends go through the sink's own "
                    + "queue, before newer emissions");
        }
        Object field = props.get("resendIndicatorField");
        if (field != null && (!(field instanceof String name) || name.isBlank())) {
            throw new IllegalArgumentException("resendIndicatorField must be a field name, not " + field);
        }
        return new SinkCacheSettings(bool(props, "enableCache", d.enableCache),
                whole(props, "memoryCacheThreshold", d.memoryCacheThreshold, 0, Integer.MAX_VALUE), maxDiskCache,
                bufferPageSize, whole(props, "resendInterval", (int) d.resendIntervalMillis, 0, Integer.MAX_VALUE),
                bool(props, "cleanCacheAtStop", d.cleanCacheAtStop), resendAlterQueue,
                whole(props, "resendPriority", d.resendPriority, -1, 1), (String) field);
    }

    /** The props without the cache's: what the sink's provider gets. */
    public static Map<String, Object> sinkProps(Map<String, Object> props) {
        Map<String, Object> sinkProps = new LinkedHashMap<>(props);
        PROPS.forEach(sinkProps::remove);
        return sinkProps;
    }

    private static boolean bool(Map<String, Object> props, String name, boolean fallback) {
        Object value = props.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException(name + " must be true or false, not " + value);
        }
        return b;
    }

    private static int whole(Map<String, Object> props, String name, int fallback, int min, int max) {
        Object value = props.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not "
                    + value);
        }
        return ((Number) value).intValue();
    }
}
