package io.tether.distribution.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP/1.1 server on a free loopback port for the http connector's tests: it records every request with a
 * body and answers each path with the status and JSON body the test set (200, empty, by default), keeping
 * connections alive. Plain sockets, so
 * that the test bundle needs no HTTP server package from the framework.
 */
public final class HttpPeer implements AutoCloseable {

    public record Request(String method, String path, String body, int status) {
    }

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final List<Request> received = new CopyOnWriteArrayList<>();

    public HttpPeer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "http-peer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Answers requests to the path with this status from now on. */
    public void answer(String path, int status) {
        statuses.put(path, status);
    }

    /** Answers requests to the path with this JSON body from now on. */
    public void serve(String path, String json) {
        bodies.put(path, json);
    }

    /** The requests with a body received so far on the path, in order. */
    public List<Request> received(String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread reader = new Thread(() -> serve(socket), "http-peer-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream()) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String[] parts = requestLine.split(" ");
                int length = 0;
                for (String header; !(header = line(in)).isEmpty(); ) {
                    int colon = header.indexOf(':');
                    if (colon > 0 && header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                        length = Integer.parseInt(header.substring(colon + 1).trim());
                    }
                }
                String body = new String(in.readNBytes(length), UTF_8);
                String path = parts[1].contains("?") ? parts[1].substring(0, parts[1].indexOf('?')) : parts[1];
                int status = statuses.getOrDefault(path, 200);
                if (length > 0) {
                    received.add(new Request(parts[0], path, body, status));
                }
                byte[] answer = bodies.getOrDefault(path, "").getBytes(UTF_8);
                out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                        + (parts[0].equals("HEAD") ? 0 : answer.length) + "\r\n\r\n").getBytes(ISO_8859_1));
                if (!parts[0].equals("HEAD")) {
                    out.write(answer);
                }
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away
        } finally {
            sockets.remove(socket);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                return line.toString(ISO_8859_1).replace("\r", "");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
