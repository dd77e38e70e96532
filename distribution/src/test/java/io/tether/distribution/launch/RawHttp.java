package io.tether.distribution.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 exchange over a raw socket, for requests {@code java.net.http} will not send (folded headers, CRLF in
 * the path, bodies larger than what they announce). The body is streamed from a thread of its own while the answer is
 * read, so that a server answering before the body ends is seen answering.
 */
final class RawHttp {

    /** Writes a body to the socket; an IOException (the server closed the connection) ends it. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    record Answer(int status, Map<String, String> headers, String body, long millis) {
    }

    private RawHttp() {
    }

    static Answer exchange(int port, String head, Body body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    body.writeTo(out);
                    out.flush();
                } catch (IOException serverStoppedReading) {
                    // the server answered and closed the connection
                }
            }, "raw-http-body");
            writer.setDaemon(true);
            writer.start();
            Answer answer = read(socket.getInputStream(), start);
            socket.close();
            return answer;
        }
    }

    static Body none() {
        return out -> {
        };
    }

    /** {@code total} bytes of {@code fill} in 64 KiB writes, after {@code prefix}; the same with chunked framing. */
    static Body repeated(String prefix, byte fill, long total, boolean chunked) {
        return out -> {
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, fill);
            byte[] first = prefix.getBytes(StandardCharsets.UTF_8);
            if (chunked) {
                writeChunk(out, first, first.length);
            } else {
                out.write(first);
            }
            for (long sent = 0; sent < total; sent += block.length) {
                int length = (int) Math.min(block.length, total - sent);
                if (chunked) {
                    writeChunk(out, block, length);
                } else {
                    out.write(block, 0, length);
                }
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        };
    }

    private static void writeChunk(OutputStream out, byte[] data, int length) throws IOException {
        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data, 0, length);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static Answer read(InputStream in, long start) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before an answer: " + head);
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8),
                (System.nanoTime() - start) / 1_000_000);
    }
}
