package io.tether.shell.internal.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code tether shell [--socket <path>] [command...]}: runs Gogo commands in the Tether runtime that serves the shell
 * socket ({@code <data directory>/run/shell.sock}; the data directory is {@code TETHER_DATA_DIR} or {@code ./data}).
 * With a command, runs it and exits with its status (0 ok, 1 failed, 2 no runtime reached); without one, an
 * interactive shell on a terminal, or the commands read from standard input, one a line.
 */
public final class ShellClient {
    /** Words that Gogo reads as they are; any other word is quoted. */
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_:./=@%+,-]+");

    private ShellClient() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, System.console() != null));
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        List<String> command = new ArrayList<>(List.of(args));
        Path socket = null;
        if (!command.isEmpty() && command.get(0).equals("--socket")) {
            if (command.size() < 2) {
                err.println("tether shell: --socket needs a path");
                return 2;
            }
            socket = Path.of(command.get(1));
            command = command.subList(2, command.size());
        }
        if (socket == null) {
            String data = System.getenv("TETHER_DATA_DIR");
            socket = ShellProtocol.socket(Path.of(data == null || data.isBlank() ? "data" : data));
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(ShellProtocol.shortest(socket)));
        } catch (IOException | RuntimeException e) {
            err.println("tether shell: no Tether runtime answers on " + socket + " (" + e.getMessage()
                    + "): start tether in this directory, or name its socket with --socket <data dir>/"
                    + ShellProtocol.SOCKET);
            return 2;
        }
        try (channel) {
            boolean interactive = command.isEmpty() && terminal;
            send(channel, (interactive ? ShellProtocol.INTERACTIVE : ShellProtocol.BATCH) + "\n");
            if (command.isEmpty()) {
                Thread typing = new Thread(() -> copy(in, channel), "tether-shell-input");
                typing.setDaemon(true);
                typing.start();
            } else {
                send(channel, commandLine(command) + "\n");
                channel.shutdownOutput();
            }
            for (ShellProtocol.Frame frame = ShellProtocol.read(channel); frame != null;
                    frame = ShellProtocol.read(channel)) {
                switch (frame.type()) {
                    case ShellProtocol.OUT -> {
                        out.print(frame.text());
                        out.flush();
                    }
                    case ShellProtocol.ERR -> {
                        err.print(frame.text());
                        err.flush();
                    }
                    case ShellProtocol.EXIT -> {
                        return Integer.parseInt(frame.text().strip());
                    }
                    default -> throw new IOException("unknown frame type " + frame.type());
                }
            }
            err.println("tether shell: the runtime closed the shell");
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("tether shell: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The words as one Gogo command line: a word Gogo would read otherwise is single-quoted, or, when it holds a
     * single quote, has each such character escaped with a backslash. A line break becomes a space: each line is a
     * command.
     */
    static String commandLine(List<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String word : words) {
            String oneLine = word.replaceAll("[\\r\\n]", " ");
            if (PLAIN_WORD.matcher(oneLine).matches()) {
                quoted.add(oneLine);
            } else if (oneLine.indexOf('\'') < 0) {
                quoted.add("'" + oneLine + "'");
            } else {
                StringBuilder escaped = new StringBuilder();
                oneLine.codePoints().forEach(c -> {
                    if (!PLAIN_WORD.matcher(Character.toString(c)).matches()) {
                        escaped.append('\\');
                    }
                    escaped.appendCodePoint(c);
                });
                quoted.add(escaped.toString());
            }
        }
        return String.join(" ", quoted);
    }

    /** Standard input to the runtime; at its end, the runtime is told that nothing more comes. */
    private static void copy(InputStream in, SocketChannel channel) {
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            channel.shutdownOutput();
        } catch (IOException closed) {
            // the runtime ended the session: the reader reports it
        }
    }

    private static void send(SocketChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
