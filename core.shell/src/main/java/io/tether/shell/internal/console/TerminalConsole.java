package io.tether.shell.internal.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.ConnectionPool;
import io.tether.shell.internal.LineShell;

/**
 * The shell on the terminal that runs Tether: the launcher script sets the framework property
 * {@value #PROPERTY}{@code =true} when its standard input and output are a terminal. Lines typed there are Gogo
 * commands; the line editing is the terminal's. Standard input is polled rather than read blocking, so that stopping
 * the bundle ends the console's thread at once (a read of standard input cannot be interrupted).
 */
@Component(immediate = true)
public final class TerminalConsole {
    public static final String PROPERTY = "tether.shell.console";
    private static final Logger LOG = LoggerFactory.getLogger(TerminalConsole.class);
    private static final long POLL_MILLIS = 100;

    private final Thread thread;

    @Activate
    public TerminalConsole(BundleContext context, @Reference CommandProcessor processor,
            @Reference ConnectionPool pool) {
        if (!Boolean.parseBoolean(context.getProperty(PROPERTY))) {
            thread = null;
            return;
        }
        LineShell shell = new LineShell(processor, pool::maskSecrets);
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        thread = new Thread(null, () -> {
            try {
                shell.run(() -> nextLine(in), new LineShell.Output() {
                    @Override
                    public void out(String text) {
                        out.print(text);
                        out.flush();
                    }

                    @Override
                    public void err(String text) {
                        err.print(text);
                        err.flush();
                    }
                }, true);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                LOG.warn("The terminal shell ended: {}", e.getMessage());
            }
        }, "tether-shell-console", 0, false);
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(2000);
        }
    }

    /** The next line typed. */
    private static String nextLine(InputStream in) throws IOException, InterruptedException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (in.available() <= 0) {
                Thread.sleep(POLL_MILLIS);
                continue;
            }
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }
}
