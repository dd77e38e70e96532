package io.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for a test's private peers. */
public final class Peers {
    private static final int FIRST_PORT = 20000;
    private static final int PORTS = 12000;

    private Peers() {
    }

    /**
     * A loopback port nobody uses now, below the ephemeral ranges (Linux 32768–60999, BSD, macOS and Windows 49152
     * and up). Peers on it stop and start again (a {@link TcpProxy} cut and restored, a broker restarted): a port of
     * the ephemeral range may meanwhile be taken as the local port of some outgoing connection (of any process, or a
     * client's connect to the port itself that the kernel gave that very port: a self-connect), and the restart then
     * fails with "Address already in use".
     */
    public static int freePort() {
        IOException last = null;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = FIRST_PORT + ThreadLocalRandom.current().nextInt(PORTS);
            try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORTS - 1), last);
    }

    /** {@code true} when something accepts connections on the loopback port (within 200 ms). */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
