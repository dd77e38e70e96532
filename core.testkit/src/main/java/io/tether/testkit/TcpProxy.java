package io.tether.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free loopback port to a loopback target port, put in front of a peer to make its link fail on
 * demand: {@link #cut()} (the peer is gone: links closed, new ones refused), {@link #freeze()} (a silent peer: links,
 * old and new, stay open and carry nothing) and {@link #restore()}.
 */
public final class TcpProxy implements AutoCloseable {
    private final int port;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private ServerSocket server;
    private Thread acceptor;
    private volatile boolean frozen;

    /** A proxy listening on a free port, forwarding to {@code targetPort}. */
    public TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        this.port = Peers.freePort();
        listen();
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:<port>}. */
    public String tcpUrl() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Stops listening (new links are refused once it returns) and closes every open link, until {@link #restore()}. */
    public synchronized void cut() {
        if (server != null) {
            closeQuietly(server);
            server = null;
            // the JDK closes a listening socket that a thread is accepting on only once that thread left accept()
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Listens and forwards again, and thaws a {@link #freeze()}. */
    public synchronized void restore() {
        frozen = false;
        if (server == null) {
            listen();
        }
    }

    /**
     * Open links stay open but every byte is dropped, both ways, and a close on one side is not passed on; new links
     * are accepted and carry nothing either: the peer seems alive and never answers.
     */
    public void freeze() {
        frozen = true;
    }

    @Override
    public void close() throws InterruptedException {
        cut();
        for (Thread thread : threads) {
            thread.join(2000);
        }
    }

    private synchronized void listen() {
        try {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server = listening;
            acceptor = thread("proxy-accept-" + port, () -> accept(listening));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + port, e);
        }
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                sockets.add(client);
                if (frozen) {
                    thread("proxy-silent-" + port, () -> pump(client, null));
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(upstream);
                thread("proxy-up-" + port, () -> pump(client, upstream));
                thread("proxy-down-" + port, () -> pump(upstream, client));
            } catch (IOException e) {
                // closed, or the target is down: the client sees its link closed
            }
        }
    }

    /** Copies {@code from} to {@code to} (to nowhere when {@code to} is null) until one side closes. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to == null ? OutputStream.nullOutputStream() : to.getOutputStream();
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
            if (to != null && !frozen) {
                closeQuietly(to);
            }
        }
    }

    private Thread thread(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        threads.removeIf(t -> !t.isAlive());
        threads.add(thread);
        thread.start();
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
