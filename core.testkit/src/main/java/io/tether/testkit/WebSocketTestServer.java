package io.tether.testkit;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

/**
 * A small RFC 6455 server, as a device or web service that a WebSocket client dials, on a loopback port it keeps
 * across {@link #stop()} and {@link #start()}: it records the text frames clients send and the headers of their
 * handshakes, and sends text frames to every client. {@link #stop()} drops every client without a close frame, as a
 * crashing server would; {@link #freeze()} makes it stop answering while every link stays open, as a frozen host or a
 * dropped NAT entry would. It uses nothing but the JDK, so it also serves tests running inside an OSGi framework.
 */
public final class WebSocketTestServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final List<Map<String, String>> handshakes = new CopyOnWriteArrayList<>();
    private final int port;
    /** For a wss server; null for ws. */
    private final SSLContext tls;
    private final Map<Socket, OutputStream> clients = new ConcurrentHashMap<>();
    private volatile ServerSocket server;
    private final Object freezing = new Object();
    /** Guarded by freezing. */
    private boolean frozen;
    private final AtomicInteger pings = new AtomicInteger();

    private WebSocketTestServer(int port, SSLContext tls) {
        this.port = port;
        this.tls = tls;
    }

    /** A started ws server on the loopback {@code port} (e.g. {@link Peers#freePort()}). */
    public static WebSocketTestServer start(int port) throws IOException {
        WebSocketTestServer server = new WebSocketTestServer(port, null);
        server.start();
        return server;
    }

    /** A started wss server on the loopback {@code port}, with the key and certificate of {@code tls}. */
    public static WebSocketTestServer tls(int port, SSLContext tls) throws IOException {
        WebSocketTestServer server = new WebSocketTestServer(port, tls);
        server.start();
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, as the websocket connector's {@code addr}. */
    public String addr() {
        return "127.0.0.1:" + port;
    }

    /** The text frames clients sent, in arrival order. */
    public BlockingQueue<String> received() {
        return received;
    }

    /** The headers (lower-case names; the request line as {@code :request}) of each handshake. */
    public List<Map<String, String>> handshakes() {
        return handshakes;
    }

    /** The clients connected now. */
    public int clients() {
        return clients.size();
    }

    /** The pings clients sent (each answered with a pong unless frozen). */
    public int pings() {
        return pings.get();
    }

    /**
     * Stops answering: the links stay open, but handshakes and frames (pings included) that come in wait unanswered
     * and unrecorded until {@link #thaw()} ({@link #broadcast} still sends).
     */
    public void freeze() {
        synchronized (freezing) {
            frozen = true;
        }
    }

    /** Answers again, the waiting handshakes and frames first. */
    public void thaw() {
        synchronized (freezing) {
            frozen = false;
            freezing.notifyAll();
        }
    }

    /** Listens again after {@link #stop()}, on the same port; nothing when listening. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket listening = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = listening;
        Thread acceptor = new Thread(() -> accept(listening), "ws-test-server-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Stops listening and drops every client without a close frame. */
    public synchronized void stop() {
        ServerSocket listening = server;
        server = null;
        closeQuietly(listening);
        clients.keySet().forEach(WebSocketTestServer::closeQuietly);
        clients.clear();
        synchronized (freezing) {
            freezing.notifyAll();
        }
    }

    /** Sends a text frame to every client. */
    public void broadcast(String text) {
        clients.forEach((socket, out) -> {
            try {
                send(out, 0x1, text.getBytes(UTF_8));
            } catch (IOException e) {
                closeQuietly(socket);
            }
        });
    }

    /** Closes every client's link with a close frame of {@code code} (a normal close from the server). */
    public void closeClients(int code) {
        clients.forEach((socket, out) -> {
            try {
                send(out, 0x8, new byte[] {(byte) (code >> 8), (byte) code});
            } catch (IOException e) {
                closeQuietly(socket);
            }
        });
    }

    @Override
    public void close() {
        thaw();
        stop();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket socket = listening.accept();
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
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            Map<String, String> headers = readHandshake(in);
            awaitThawed(socket);
            String key = headers.get("sec-websocket-key");
            if (key == null || !"websocket".equalsIgnoreCase(headers.get("upgrade"))) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(ISO_8859_1));
                out.flush();
                return;
            }
            handshakes.add(headers);
            synchronized (out) {
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(ISO_8859_1));
                out.flush();
            }
            if (server == null) {
                return;
            }
            clients.put(socket, out);
            readFrames(socket, new DataInputStream(in), out);
        } catch (IOException e) {
            // dropped
        } finally {
            clients.remove(socket);
        }
    }

    /** Reads until a close frame (answered) or the end of the link (an exception). */
    private void readFrames(Socket socket, DataInputStream in, OutputStream out) throws IOException {
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
            awaitThawed(socket);
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
                case 0x9 -> {
                    pings.incrementAndGet();
                    send(out, 0xA, payload);
                }
                default -> {
                    // a pong: nothing to do
                }
            }
        }
    }

    /** While frozen: waits until thawed, or until the link is dropped ({@link #stop()}, an exception then). */
    private void awaitThawed(Socket socket) throws IOException {
        synchronized (freezing) {
            while (frozen) {
                if (socket.isClosed()) {
                    throw new EOFException("dropped while frozen");
                }
                try {
                    freezing.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EOFException("interrupted while frozen");
                }
            }
        }
    }

    private static void send(OutputStream out, int opcode, byte[] payload) throws IOException {
        synchronized (out) {
            out.write(0x80 | opcode);
            if (payload.length < 126) {
                out.write(payload.length);
            } else if (payload.length < 65536) {
                out.write(126);
                out.write(payload.length >> 8);
                out.write(payload.length);
            } else {
                out.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) ((long) payload.length >> shift));
                }
            }
            out.write(payload);
            out.flush();
        }
    }

    private static Map<String, String> readHandshake(InputStream in) throws IOException {
        Map<String, String> headers = new ConcurrentHashMap<>();
        String line = readLine(in);
        headers.put(":request", line);
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return headers;
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
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            // closed already
        }
    }
}
