package io.tether.mqtt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free loopback port to a local target port, that a test can cut (close every link and refuse new
 * ones), restore, or freeze (links stay open but carry nothing: a silent link loss).
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;
    private volatile boolean frozen;

    TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread("proxy-accept", this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    String tcpUrl() {
        return "tcp://127.0.0.1:" + port();
    }

    /** Closes every open link and refuses new ones until {@link #restore()}. */
    void cut() {
        refusing = true;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    void restore() {
        refusing = false;
        frozen = false;
    }

    /** Open links stay open but every byte is dropped, both ways, and a close on one side is not passed on. */
    void freeze() {
        frozen = true;
    }

    @Override
    public void close() throws InterruptedException {
        closeQuietly(server);
        cut();
        for (Thread thread : threads) {
            thread.join(2000);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                thread("proxy-up", () -> pump(client, upstream));
                thread("proxy-down", () -> pump(upstream, client));
            } catch (IOException e) {
                // closed, or the target is down: the client sees its link closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!frozen) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            if (!frozen) {
                closeQuietly(to);
            }
        }
    }

    private void thread(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
