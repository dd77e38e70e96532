package com.example.tcpline.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tcpline server for the tests: answers each HELLO with OK and sends every line it receives to every client. */
final class LineServer implements AutoCloseable {
    /** The lines clients sent, HELLOs left out. */
    final List<String> received = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final List<PrintWriter> clients = new CopyOnWriteArrayList<>();

    LineServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("line-server-accept", this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Sends a line to every client. */
    void broadcast(String line) {
        clients.forEach(client -> client.println(line));
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                daemon("line-server-client", () -> serve(client));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client; BufferedReader in = new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
            PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("HELLO")) {
                    out.println("OK");
                    clients.add(out);
                } else {
                    received.add(line);
                    broadcast(line);
                }
            }
            clients.remove(out);
        } catch (IOException e) {
            // the client went
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
