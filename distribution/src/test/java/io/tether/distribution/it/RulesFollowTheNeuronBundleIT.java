package io.tether.distribution.it;

import static org.junit.Assert.assertEquals;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Issue 11, point 3: a rule reading Neuron data (an {@code nngcat} pair0 listener standing in for Neuron) and writing
 * it back to Neuron, over one named nng connection, outlives an uninstall of conn.neuron — {@code running}, its
 * source and sink {@code disconnected} with {@code connector type 'neuron' is not installed} (the type of the
 * rule's nodes, when the rule layer's report comes last) or {@code connector type 'nng' is not installed} (the
 * connection's, when the pool's comes last: both leave with the bundle) — and gets data again, with no user action, once the bundle is installed again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RulesFollowTheNeuronBundleIT {
    static final Set<String> NOT_INSTALLED = Set.of("connector type 'neuron' is not installed",
            "connector type 'nng' is not installed");
    static final String DATA = "{\"node_name\":\"node1\",\"group_name\":\"group1\",\"timestamp\":1646125996000,"
            + "\"values\":{\"temperature\":21.5},\"errors\":{}}";

    @Inject
    BundleContext context;

    Rest rest;
    Process nngcat;
    int port;

    @Configuration
    public Option[] config() {
        return TetherRuntime.options(RulesFollowTheNeuronBundleIT.class, TetherRuntime.RULES, TetherRuntime.NEURON);
    }

    @Before
    public void startRest() {
        port = TetherRuntime.freePort();
        rest = new Rest(context);
        rest.awaitReady();
    }

    @After
    public void stopNeuron() throws InterruptedException {
        if (nngcat != null) {
            nngcat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * (Re)starts nngcat on the port: it sends the data message as soon as a peer attaches, then every minute. (nngcat
     * 1.5.2 exits when a send waited longer than its interval for a peer, so the interval is long and a phase of the
     * test that needs data restarts it.)
     */
    private void restartNeuron() throws IOException, InterruptedException {
        stopNeuron();
        File directory = TetherRuntime.directory(getClass());
        File data = new File(directory, "data.json");
        Files.write(data.toPath(), DATA.getBytes(StandardCharsets.UTF_8));
        nngcat = new ProcessBuilder("/usr/bin/nngcat", "--pair0", "--listen", "tcp://127.0.0.1:" + port, "--file",
                data.getPath(), "--interval", "60", "--raw").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(directory, "nngcat.out"))).start();
        Poll.until("nngcat listens on " + port, this::listening);
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    public void aRuleOnNeuronOutlivesAnUninstallAndReinstallOfTheConnector() throws Exception {
        created(rest.post("/connections", Rest.json("id", "neuron1", "typ", "nng",
                "props", Map.of("url", "tcp://127.0.0.1:" + port))));
        ok(rest.put("/metadata/sources/neuron/confKeys/neuron_conf", Rest.json("connectionSelector", "neuron1")));
        created(rest.post("/streams", Rest.json("sql",
                "CREATE STREAM tags () WITH (TYPE=\"neuron\", CONF_KEY=\"neuron_conf\")")));
        created(rest.post("/rules", Rest.json("id", "onNeuron",
                "sql", "SELECT node_name, timestamp FROM tags",
                "actions", List.of(Map.of("neuron", Map.of("connectionSelector", "neuron1", "nodeName", "node1",
                        "groupName", "group1"))))));
        restartNeuronAndAwaitItsData();

        Bundle neuron = bundle(TetherRuntime.NEURON);
        String location = neuron.getLocation();
        neuron.uninstall();
        Poll.until("the rule's source and sink report that neuron is not installed", () -> {
            JsonNode status = status();
            return status.path("source_tags_0_connection_status").asInt() == -1
                    && NOT_INSTALLED.contains(status.path("source_tags_0_connection_last_disconnected_message").asText())
                    && status.path("sink_neuron_0_connection_status").asInt() == -1
                    && NOT_INSTALLED.contains(status.path("sink_neuron_0_connection_last_disconnected_message").asText());
        }, this::status);
        assertRunning();

        context.installBundle(location).start();
        restartNeuronAndAwaitItsData();
        assertRunning();
    }

    /**
     * The data message a new nngcat sends comes in through the source and goes out through the sink. The counts are
     * read before nngcat starts: its one message (a minute's interval) may be through before a later read.
     */
    private void restartNeuronAndAwaitItsData() throws IOException, InterruptedException {
        long in = status().path("source_tags_0_records_in_total").asLong();
        long out = status().path("sink_neuron_0_records_out_total").asLong();
        restartNeuron();
        Poll.until("onNeuron receives Neuron's data and writes it back", () -> {
            JsonNode status = status();
            return status.path("source_tags_0_records_in_total").asLong() > in
                    && status.path("sink_neuron_0_records_out_total").asLong() > out;
        }, this::status);
    }

    private JsonNode status() {
        Rest.Response response = rest.get("/rules/onNeuron/status");
        assertEquals(response.toString(), 200, response.status());
        return response.json();
    }

    private void assertRunning() {
        assertEquals("onNeuron: " + status(), "running", status().path("status").asText());
    }

    private static void created(Rest.Response response) {
        assertEquals(response.toString(), 201, response.status());
    }

    private static void ok(Rest.Response response) {
        assertEquals(response.toString(), 200, response.status());
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }
}
