package io.tether.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/** Gogo's command processor outside a framework, with commands added as the runtime adds their services. */
public final class Gogo implements AutoCloseable {
    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final CommandProcessorImpl processor;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CommandSession session;

    public Gogo() {
        threadIo.start();
        processor = new CommandProcessorImpl(threadIo);
        session = processor.createSession(InputStream.nullInputStream(), new PrintStream(out, true),
                new PrintStream(out, true));
    }

    public CommandProcessorImpl processor() {
        return processor;
    }

    /** Adds the public methods of {@code commands} as {@code scope:method}. */
    public Gogo add(String scope, Object commands) {
        processor.addCommand(scope, commands);
        return this;
    }

    /** Runs a command line as typed, and returns what it answered, as the shell prints it. */
    public String run(String line) throws Exception {
        Object result = session.execute(line);
        return result == null ? "" : session.format(result, Converter.INSPECT).toString();
    }

    /** What commands wrote to their standard output and error so far. */
    public String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        session.close();
        processor.stop();
        threadIo.stop();
    }
}
