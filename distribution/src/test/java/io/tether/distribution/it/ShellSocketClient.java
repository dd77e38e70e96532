package io.tether.distribution.it;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What {@code tether shell} does, written out from its protocol (core.shell's ShellProtocol): a header line, the
 * command lines, then frames back (type byte, 4-byte length, UTF-8 text) until the exit frame.
 */
public final class ShellSocketClient {

    public record Answer(String out, String err, int status) {
    }

    private ShellSocketClient() {
    }

    /** The socket of a runtime whose data directory is {@code data}. */
    public static Path socket(Path data) {
        return data.resolve("run/shell.sock");
    }

    /** Runs the commands, one a line, as a batch. */
    public static Answer run(Path socket, String... commands) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(shortest(socket)));
            StringBuilder lines = new StringBuilder("tether-shell/1 batch\n");
            for (String command : commands) {
                lines.append(command).append('\n');
            }
            ByteBuffer request = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            channel.shutdownOutput();
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            while (true) {
                ByteBuffer head = read(channel, 5);
                byte type = head.get();
                String text = new String(read(channel, head.getInt()).array(), StandardCharsets.UTF_8);
                switch (type) {
                    case 'O' -> out.append(text);
                    case 'E' -> err.append(text);
                    case 'X' -> {
                        return new Answer(out.toString(), err.toString(), Integer.parseInt(text));
                    }
                    default -> throw new IOException("unknown frame type " + type);
                }
            }
        }
    }

    /** Socket paths are limited to about 100 bytes: relative to the working directory when that is shorter. */
    private static Path shortest(Path socket) {
        Path absolute = socket.toAbsolutePath().normalize();
        Path relative = Path.of("").toAbsolutePath().relativize(absolute);
        return relative.toString().length() < absolute.toString().length() ? relative : absolute;
    }

    private static ByteBuffer read(SocketChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the shell socket closed before the exit frame");
            }
        }
        return buffer.flip();
    }
}
