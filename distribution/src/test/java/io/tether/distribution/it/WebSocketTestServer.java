package io.tether.distribution.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A small RFC 6455 server on a free loopback port, as a device or web service that the websocket connector's client
 * mode dials: it sends text frames to every client and records the text frames clients send.
 */
final class WebSocketTestServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The text frames clients sent, in arrival order. */
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final Map<Socket, OutputStream> clients = new ConcurrentHashMap<>();
    private final ServerSocket server;

    WebSocketTestServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "ws-test-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code 127.0.0.1:<port>}, the connector's {@code addr}. */
    String addr() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Sends a text frame to every client. */
    void broadcast(String text) {
        clients.forEach((socket, out) -> {
            try {
                send(out, 0x1, text.getBytes(UTF_8));
            } catch (IOException e) {
                closeQuietly(socket);
            }
        });
    }

    @Override
    public void close() {
        closeQuietly(server);
        clients.keySet().forEach(WebSocketTestServer::closeQuietly);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread reader = new Thread(() -> serve(socket), "ws-test-client-" + socket.getPort());
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            String key = null;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                    key = line.substring(line.indexOf(':') + 1).strip();
                }
            }
            if (key == null) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(ISO_8859_1));
                out.flush();
                return;
            }
            synchronized (out) {
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(ISO_8859_1));
                out.flush();
            }
            clients.put(socket, out);
            readFrames(new DataInputStream(in), out);
        } catch (IOException e) {
            // dropped
        } finally {
            clients.remove(socket);
        }
    }

    private void readFrames(DataInputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((second & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            switch (first & 0x0f) {
                case 0x0, 0x1, 0x2 -> {
                    message.write(payload);
                    if ((first & 0x80) != 0) {
                        received.add(message.toString(UTF_8));
                        message.reset();
                    }
                }
                case 0x8 -> {
                    send(out, 0x8, payload);
                    return;
                }
                case 0x9 -> send(out, 0xA, payload);
                default -> {
                    // a pong
                }
            }
        }
    }

    private static void send(OutputStream out, int opcode, byte[] payload) throws IOException {
        synchronized (out) {
            out.write(0x80 | opcode);
            if (payload.length < 126) {
                out.write(payload.length);
            } else {
                out.write(126);
                out.write(payload.length >> 8);
                out.write(payload.length);
            }
            out.write(payload);
            out.flush();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException();
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closed already
        }
    }
}
