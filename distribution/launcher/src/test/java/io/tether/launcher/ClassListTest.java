package io.tether.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassListTest {
    @TempDir
    Path folder;

    @Test
    void aRecordedLineReadsBackAsTheSameEntry() throws Exception {
        ClassPreloader.Entry entry = new ClassPreloader.Entry(3, "org.apache.felix.http.jetty12",
                "org.eclipse.jetty.server.Server");
        Path list = Files.writeString(folder.resolve("tether.classes"), entry.line() + "\n");
        assertEquals(List.of(entry), ClassPreloader.read(list));
    }

    @Test
    void aCorruptListPreloadsNothing() throws Exception {
        Path list = Files.writeString(folder.resolve("tether.classes"), "2 a.b c.D\nx y z\n");
        assertEquals(List.of(), ClassPreloader.read(list));
    }
}
