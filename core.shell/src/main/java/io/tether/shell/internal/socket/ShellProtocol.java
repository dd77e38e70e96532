package io.tether.shell.internal.socket;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The shell socket's protocol. The client sends one header line ({@value #INTERACTIVE} or {@value #BATCH}), then
 * command lines, and closes its side when done. The runtime answers in frames: a type byte ({@link #OUT},
 * {@link #ERR}, {@link #EXIT}), a 4-byte length and that many bytes of UTF-8 text; {@link #EXIT} carries the exit
 * status as text and is the last frame. Plain JDK: the client runs without a framework.
 */
public final class ShellProtocol {
    public static final String INTERACTIVE = "tether-shell/1 interactive";
    public static final String BATCH = "tether-shell/1 batch";
    public static final byte OUT = 'O';
    public static final byte ERR = 'E';
    public static final byte EXIT = 'X';
    /** The socket's path under the data directory. */
    public static final String SOCKET = "run/shell.sock";
    static final int MAX_FRAME = 16 * 1024 * 1024;

    private ShellProtocol() {
    }

    public record Frame(byte type, String text) {
    }

    public static Path socket(Path dataDirectory) {
        return dataDirectory.resolve(SOCKET);
    }

    /** A socket path is limited to about 100 bytes: the path relative to the working directory when shorter. */
    public static Path shortest(Path socket) {
        Path absolute = socket.toAbsolutePath().normalize();
        Path relative = Path.of("").toAbsolutePath().relativize(absolute);
        return relative.toString().length() < absolute.toString().length() ? relative : absolute;
    }

    static void write(WritableByteChannel channel, byte type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(5 + bytes.length).put(type).putInt(bytes.length).put(bytes).flip();
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    /** The next frame, or {@code null} when the channel ended between frames. */
    static Frame read(ReadableByteChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(5);
        if (!fill(channel, head, true)) {
            return null;
        }
        head.flip();
        byte type = head.get();
        int length = head.getInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("bad frame length " + length);
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        fill(channel, body, false);
        return new Frame(type, new String(body.array(), StandardCharsets.UTF_8));
    }

    private static boolean fill(ReadableByteChannel channel, ByteBuffer buffer, boolean endAllowed)
            throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (endAllowed && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("the shell socket closed in the middle of a frame");
            }
        }
        return true;
    }
}
