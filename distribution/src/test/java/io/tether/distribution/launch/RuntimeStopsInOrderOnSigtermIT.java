package io.tether.distribution.launch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;

/**
 * The exported runtime, as a user starts it: it answers REST, and SIGTERM stops the framework in order (the pool
 * deactivates, closing its connections) with the store on disk.
 */
public class RuntimeStopsInOrderOnSigtermIT {

    @Test
    public void sigtermStopsTheFrameworkInOrderAndKeepsTheStore() throws Exception {
        Path home = ExportedRuntime.freshHome("sigterm");
        try (ExportedRuntime runtime = ExportedRuntime.start(home, "runtime.log")) {
            HttpResponse<String> created = runtime.post("/connections",
                    "{\"id\":\"kept\",\"typ\":\"mqtt\",\"props\":{\"server\":\"tcp://127.0.0.1:1\"}}");
            assertEquals(created.body(), 201, created.statusCode());

            runtime.stop();
            String output = runtime.output();
            assertTrue(output, output.contains("tether: stopping the framework"));
            assertTrue(output, output.contains("Connection pool stopped"));
            assertTrue(Files.readString(home.resolve("data/connections.json")).contains("\"kept\""));
        }
    }
}
