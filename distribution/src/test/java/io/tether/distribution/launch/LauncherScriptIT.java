package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The launcher script shipped beside the exported runtime ({@code target/tether}) as a process, with a stand-in for
 * {@code java} that prints the arguments it was given: the JVM options it sets, without starting a JVM.
 */
public class LauncherScriptIT {
    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void theJvmExitsOnOutOfMemoryErrorSoThatASupervisorRestartsIt() throws Exception {
        List<String> arguments = launch();
        assertTrue(arguments.toString(), arguments.contains("-XX:+ExitOnOutOfMemoryError"));
        assertTrue(arguments.toString(),
                arguments.indexOf("-XX:+ExitOnOutOfMemoryError") < arguments.indexOf("-jar"));
        assertTrue(arguments.toString(), arguments.contains("-Xmx96m"));
    }

    private static String launcherScript() {
        return new File(System.getProperty("tether.runtime.jar")).toPath().resolveSibling("tether").toString();
    }

    private List<String> launch() throws Exception {
        Path home = folder.newFolder("home").toPath();
        Path java = folder.getRoot().toPath().resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        Path output = folder.getRoot().toPath().resolve("arguments.txt");
        ProcessBuilder launcher = new ProcessBuilder("sh", launcherScript())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        launcher.environment().put("TETHER_JAVA", java.toString());
        launcher.environment().put("TETHER_CDS", "0");
        launcher.environment().remove("JAVA_OPTS");
        launcher.environment().remove("TETHER_HEAP");
        Process process = launcher.start();
        assertTrue("the launcher did not end", process.waitFor(30, TimeUnit.SECONDS));
        List<String> arguments = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertEquals(arguments.toString(), 0, process.exitValue());
        return arguments;
    }
}
