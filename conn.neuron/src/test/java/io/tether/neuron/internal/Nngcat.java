package io.tether.neuron.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tether.testkit.Peers;
import io.tether.testkit.Poll;

/**
 * The real NNG as a peer: {@code nngcat} (Debian's nng-utils, installed by {@code .ci/run}) listening on a url,
 * its output (what it received, {@code --raw}) kept in a file. Tests kill and start it again on the same url.
 */
final class Nngcat implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/nngcat");

    private final String url;
    private final List<String> arguments;
    private final Path output;
    private Process process;

    private Nngcat(String url, Path output, List<String> arguments) {
        this.url = url;
        this.output = output;
        this.arguments = arguments;
    }

    /**
     * Starts {@code nngcat --listen <url> --raw <arguments>} and waits until it listens.
     *
     * @param arguments the protocol ({@code --pair0}, {@code --pair1}) and what to send ({@code --file F
     *                  --interval S}) or receive ({@code --count 1})
     */
    static Nngcat listen(String url, Path output, String... arguments) {
        Nngcat nngcat = new Nngcat(url, output, List.of(arguments));
        nngcat.start();
        return nngcat;
    }

    synchronized void start() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install -y nng-utils (.ci/run does)");
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--listen", url, "--raw"));
        command.addAll(arguments);
        try {
            if (url.startsWith("ipc://")) {
                Files.deleteIfExists(ipcPath());
            }
            process = new ProcessBuilder(command).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(output.resolveSibling(output.getFileName() + ".err").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        Poll.until("nngcat listens on " + url, Duration.ofSeconds(10), this::listening);
    }

    private boolean listening() {
        if (url.startsWith("ipc://")) {
            return Files.exists(ipcPath());
        }
        return Peers.listening(Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)));
    }

    private Path ipcPath() {
        return Path.of(url.substring("ipc://".length()));
    }

    /** What nngcat received so far, as it printed it ({@code --raw}: the bodies, back to back). */
    byte[] received() throws IOException {
        return Files.readAllBytes(output);
    }

    /** Waits for nngcat to exit by itself (after {@code --count}). */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: the pipe drops without a goodbye, as when Neuron crashes. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
