package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Test
    public void theQuickJitIsTheDefaultAndTheFullOneIsJavasTieredCompilation() throws Exception {
        List<String> quick = launch();
        assertTrue(quick.toString(), quick.contains("-XX:TieredStopAtLevel=1"));
        assertTrue(quick.toString(), quick.contains("-XX:CICompilerCount=1"));

        List<String> full = launch(Map.of("TETHER_JIT", "full"));
        assertFalse(full.toString(), full.stream().anyMatch(argument -> argument.startsWith("-XX:TieredStopAtLevel")));
        assertFalse(full.toString(), full.stream().anyMatch(argument -> argument.startsWith("-XX:CICompilerCount")));
        assertFalse("C2's code needs the default code cache: " + full,
                full.stream().anyMatch(argument -> argument.startsWith("-XX:ReservedCodeCacheSize")));
        assertTrue(full.toString(), full.contains("-XX:+ExitOnOutOfMemoryError"));
    }

    @Test
    public void anUnknownJitIsRefusedWithAMessageAndNoJvmStarts() throws Exception {
        Launch refused = run(Map.of("TETHER_JIT", "fast"));
        assertEquals(2, refused.exitValue());
        assertEquals(List.of("tether: TETHER_JIT must be quick or full, not 'fast'"), refused.output());
    }

    private static String launcherScript() {
        return new File(System.getProperty("tether.runtime.jar")).toPath().resolveSibling("tether").toString();
    }

    private List<String> launch() throws Exception {
        return launch(Map.of());
    }

    private List<String> launch(Map<String, String> environment) throws Exception {
        Launch launch = run(environment);
        assertEquals(launch.output().toString(), 0, launch.exitValue());
        return launch.output();
    }

    /** What the script printed (the stand-in java prints its arguments, one a line) and its exit value. */
    private record Launch(List<String> output, int exitValue) {
    }

    private Launch run(Map<String, String> environment) throws Exception {
        Path home = folder.newFolder().toPath();
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
        launcher.environment().remove("TETHER_JIT");
        launcher.environment().putAll(environment);
        Process process = launcher.start();
        assertTrue("the launcher did not end", process.waitFor(30, TimeUnit.SECONDS));
        return new Launch(Files.readAllLines(output, StandardCharsets.UTF_8), process.exitValue());
    }
}
