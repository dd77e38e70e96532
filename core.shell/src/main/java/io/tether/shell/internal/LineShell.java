package io.tether.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * One operator's Gogo session, a line at a time: each line is run as a Gogo command line and what it answers is
 * printed, then (interactively) a prompt. Used on the terminal and for each client of the shell socket.
 */
public final class LineShell {
    public static final String PROMPT = "tether> ";
    public static final String BANNER = "Tether shell: conn:list, conn:status <id>, conn:create <id> <typ> key=value..."
            + " (help lists every command; exit ends this shell)\n";

    /** Where a session's text goes; each call carries whole pieces of text. */
    public interface Output {
        void out(String text) throws IOException;

        void err(String text) throws IOException;
    }

    /** The lines typed; {@code null} at the end. */
    @FunctionalInterface
    public interface Lines {
        String next() throws IOException, InterruptedException;
    }

    private final CommandProcessor processor;
    private final UnaryOperator<String> masker;

    /** @param masker masks secrets in error texts ({@code ConnectionPool::maskSecrets}) */
    public LineShell(CommandProcessor processor, UnaryOperator<String> masker) {
        this.processor = processor;
        this.masker = masker;
    }

    /**
     * Runs lines until their end (or {@code exit}).
     *
     * @return 0 when every command succeeded, 1 otherwise
     */
    public int run(Lines lines, Output output, boolean interactive) throws IOException, InterruptedException {
        int status = 0;
        try (PrintStream out = new PrintStream(new TextStream(output, false), true, StandardCharsets.UTF_8);
                PrintStream err = new PrintStream(new TextStream(output, true), true, StandardCharsets.UTF_8);
                CommandSession session = processor.createSession(InputStream.nullInputStream(), out, err)) {
            if (interactive) {
                output.out(BANNER + PROMPT);
            }
            for (String line = lines.next(); line != null; line = lines.next()) {
                String command = line.strip();
                if (command.equals("exit") || command.equals("quit")) {
                    break;
                }
                if (!command.isEmpty() && !run(session, command, output)) {
                    status = 1;
                }
                if (interactive) {
                    output.out(PROMPT);
                }
            }
        }
        return status;
    }

    private boolean run(CommandSession session, String command, Output output) throws IOException {
        try {
            Object result = session.execute(command);
            if (result != null) {
                String text = session.format(result, Converter.INSPECT).toString();
                output.out(text.endsWith("\n") ? text : text + "\n");
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            output.err("interrupted\n");
            return false;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            output.err("error: " + masker.apply(message) + "\n");
            return false;
        }
    }

    /** What commands print to their standard output or error, handed on as text. */
    private static final class TextStream extends OutputStream {
        private final Output output;
        private final boolean error;

        TextStream(Output output, boolean error) {
            this.output = output;
            this.error = error;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
            if (error) {
                output.err(text);
            } else {
                output.out(text);
            }
        }
    }
}
