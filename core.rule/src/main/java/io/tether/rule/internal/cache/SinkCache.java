package io.tether.rule.internal.cache;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tether.rule.internal.store.AtomicFile;

/**
 * The emissions one sink could not deliver yet, oldest first: in memory up to a threshold, beyond it in pages of a
 * fixed number of emissions written to files of the cache's directory ({@code <seq>_<count>.json}, owner-only), at
 * most a given number of emissions on disk (the oldest pages are dropped to make room, and counted).
 * <p>
 * A page read back from disk keeps its file until its last emission left the cache, so that a crash resends it (at
 * least once) rather than loses it; {@link #flush()} rewrites such a page with what is left. What is only in memory
 * is lost on a crash, as in eKuiper; {@link #flush()} writes it at a graceful stop.
 * <p>
 * Not thread-safe: its sink node guards it.
 */
public final class SinkCache {
    private static final Logger LOG = LoggerFactory.getLogger(SinkCache.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<List<Map<String, Object>>>> PAGE = new TypeReference<>() {
    };
    private static final Pattern PAGE_FILE = Pattern.compile("(\\d{20})_(\\d+)\\.json");

    /** What the cache tells its owner. */
    public interface Listener {
        /** {@code count} emissions were dropped: the disk cache was full, or a page could not be read. */
        void dropped(int count);

        /** The disk failed; the emissions concerned stay in memory, or were dropped and counted. */
        void failed(String message);
    }

    private final Path directory;
    private final int memoryThreshold;
    private final int pageSize;
    private final int maxDisk;
    private final Listener listener;
    private final Deque<Page> pages = new ArrayDeque<>();
    private long nextSeq;
    private int size;
    private int resident;
    private int onDisk;

    private SinkCache(Path directory, int memoryThreshold, int pageSize, int maxDisk, Listener listener) {
        this.directory = directory;
        this.memoryThreshold = memoryThreshold;
        this.pageSize = pageSize;
        this.maxDisk = maxDisk;
        this.listener = listener;
    }

    /**
     * A cache in memory only, never written to disk: what a sink without {@code enableCache} holds while its
     * connection is briefly away. Its owner bounds its size.
     */
    public static SinkCache inMemory() {
        return new SinkCache(null, Integer.MAX_VALUE, 256, 0, new Listener() {
            @Override
            public void dropped(int count) {
            }

            @Override
            public void failed(String message) {
            }
        });
    }

    /** The cache kept in {@code directory}, with the pages a previous run left there. */
    public static SinkCache open(Path directory, int memoryThreshold, int pageSize, int maxDisk, Listener listener)
            throws IOException {
        SinkCache cache = new SinkCache(directory, memoryThreshold, pageSize, maxDisk, listener);
        cache.load();
        return cache;
    }

    private void load() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        TreeMap<Long, Page> found = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Matcher name = PAGE_FILE.matcher(file.getFileName().toString());
                if (!name.matches()) {
                    continue;
                }
                Page page = new Page(Long.parseLong(name.group(1)));
                page.count = Integer.parseInt(name.group(2));
                page.file = file;
                // a crash between writing a page's rest and deleting its old file leaves both: the rest is newer
                Page other = found.get(page.seq);
                if (other != null) {
                    Page keep = page.count < other.count ? page : other;
                    Files.deleteIfExists((keep == page ? other : page).file);
                    page = keep;
                }
                found.put(page.seq, page);
            }
        }
        for (Page page : found.values()) {
            pages.add(page);
            size += page.count;
            onDisk += page.count;
            nextSeq = page.seq + 1;
        }
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Keeps the emission behind the others: in memory, or in the page being filled, written once full. */
    public void add(List<Map<String, Object>> emission) {
        Page tail = pages.peekLast();
        if (tail == null || !tail.isResident() || tail.file != null || tail.count >= pageSize) {
            tail = new Page(nextSeq++);
            tail.items = new ArrayDeque<>();
            pages.add(tail);
        }
        tail.items.add(emission);
        tail.count++;
        size++;
        resident++;
        if (tail.count >= pageSize && (resident > memoryThreshold || hasDiskOnlyPage())) {
            spill(tail);
        }
    }

    private boolean hasDiskOnlyPage() {
        return pages.stream().anyMatch(page -> !page.isResident());
    }

    private void spill(Page page) {
        while (onDisk + page.count > maxDisk && pages.peekFirst() != page) {
            drop(pages.peekFirst());
        }
        try {
            write(page);
        } catch (IOException e) {
            listener.failed("cannot write a page of the sink cache: " + e.getMessage());
            return;
        }
        resident -= page.count;
        page.items = null;
    }

    private void drop(Page page) {
        pages.remove(page);
        size -= page.count;
        if (page.isResident()) {
            resident -= page.count;
        }
        if (page.file != null) {
            onDisk -= page.count;
            deleteQuietly(page.file);
        }
        listener.dropped(page.count);
    }

    private void write(Page page) throws IOException {
        Files.createDirectories(directory,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path old = page.file;
        Path file = directory.resolve(String.format("%020d_%d.json", page.seq, page.count));
        AtomicFile.write(file, MAPPER, new ArrayList<>(page.items));
        if (old != null && !old.equals(file)) {
            deleteQuietly(old);
        } else if (old == null) {
            onDisk += page.count;
        }
        page.file = file;
        page.consumed = false;
    }

    /** The oldest emission, read from disk if it is there; {@code null} when the cache is empty. */
    public List<Map<String, Object>> head() {
        while (!pages.isEmpty()) {
            Page first = pages.peekFirst();
            if (first.isResident()) {
                return first.items.peekFirst();
            }
            try {
                first.items = new ArrayDeque<>(MAPPER.readValue(first.file.toFile(), PAGE));
                resident += first.count;
                if (first.items.size() != first.count) {
                    throw new IOException("it holds " + first.items.size() + " emissions, not " + first.count);
                }
            } catch (IOException e) {
                listener.failed("cannot read " + first.file + ", its emissions are dropped: " + e.getMessage());
                drop(first);
            }
        }
        return null;
    }

    /**
     * The oldest emissions, at most {@code max}, in order: those of the first page (read from disk if it is there)
     * and of the pages in memory right behind it. Each leaves the cache through {@link #removeHead}, in this order.
     */
    public List<List<Map<String, Object>>> peek(int max) {
        List<List<Map<String, Object>>> oldest = new ArrayList<>();
        if (head() == null) {
            return oldest;
        }
        for (Page page : pages) {
            if (!page.isResident()) {
                break;
            }
            for (List<Map<String, Object>> emission : page.items) {
                oldest.add(emission);
                if (oldest.size() >= max) {
                    return oldest;
                }
            }
        }
        return oldest;
    }

    /** Removes the oldest emission if it is {@code emission} (it may have been dropped meanwhile). */
    public void removeHead(List<Map<String, Object>> emission) {
        Page first = pages.peekFirst();
        if (first == null || !first.isResident() || first.items.peekFirst() != emission) {
            return;
        }
        first.items.removeFirst();
        first.count--;
        size--;
        resident--;
        if (first.file != null) {
            onDisk--;
            first.consumed = true;
        }
        if (first.count == 0) {
            pages.removeFirst();
            if (first.file != null) {
                deleteQuietly(first.file);
            }
        }
    }

    /** Writes what is only in memory to disk, and the rest of a page partly sent: a graceful stop. */
    public void flush() throws IOException {
        for (Page page : pages) {
            if (page.isResident() && (page.file == null || page.consumed)) {
                write(page);
            }
        }
    }

    /** Deletes every emission, in memory and on disk, and the cache's directory. */
    public void clear() throws IOException {
        pages.clear();
        size = 0;
        resident = 0;
        onDisk = 0;
        deleteDirectory(directory);
    }

    /** Deletes a cache directory and what it holds (a rule's, when the rule is deleted). */
    public static void deleteDirectory(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete the sink cache page {}: {}", file, e.getMessage());
        }
    }

    /** Emissions of the cache in order; resident when {@link #items} is set, on disk when {@link #file} is. */
    private static final class Page {
        final long seq;
        Deque<List<Map<String, Object>>> items;
        Path file;
        int count;
        /** Some of the emissions in the file have left the cache. */
        boolean consumed;

        Page(long seq) {
            this.seq = seq;
        }

        boolean isResident() {
            return items != null;
        }
    }
}
