package io.tether.shell.internal.socket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tether.api.connection.ConnectionPool;
import io.tether.shell.internal.DataDirectory;
import io.tether.shell.internal.LineShell;

/**
 * The shell socket: a Unix domain socket at {@code <data directory>/run/shell.sock}, in a directory open to the
 * runtime's user only (0700) and itself 0600, so that only that user (and root) can connect; {@code tether shell}
 * connects to it. Each client gets a Gogo session on a thread of its own. Stopping closes the socket, its clients
 * and their threads, and removes the socket file.
 */
@Component(immediate = true, configurationPid = DataDirectory.POOL_PID)
public final class ShellSocketServer {
    private static final Logger LOG = LoggerFactory.getLogger(ShellSocketServer.class);
    private static final long STOP_WAIT_MILLIS = 2000;

    private final LineShell shell;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Map<SocketChannel, Thread> clients = new ConcurrentHashMap<>();
    private final AtomicInteger clientNumbers = new AtomicInteger();

    @Activate
    public ShellSocketServer(BundleContext context, DataDirectory.Configuration config,
            @Reference CommandProcessor processor, @Reference ConnectionPool pool) throws IOException {
        this(ShellProtocol.socket(DataDirectory.of(config, context)), new LineShell(processor, pool::maskSecrets));
    }

    ShellSocketServer(Path socket, LineShell shell) throws IOException {
        this.shell = shell;
        this.socket = socket;
        this.server = bind(socket);
        acceptor = new Thread(null, this::accept, "tether-shell-socket", 0, false);
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("Shell socket {} open (tether shell)", socket);
    }

    /** The data and home directories apply at the next start, as the pool's do. */
    @Modified
    void modified() {
    }

    @Deactivate
    void deactivate() {
        close(server);
        for (Map.Entry<SocketChannel, Thread> client : clients.entrySet()) {
            close(client.getKey());
            client.getValue().interrupt();
        }
        join(acceptor);
        clients.values().forEach(ShellSocketServer::join);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("Cannot remove the shell socket {}: {}", socket, e.getMessage());
        }
        LOG.info("Shell socket {} closed", socket);
    }

    private static ServerSocketChannel bind(Path socket) throws IOException {
        Path directory = socket.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        if (posix()) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
        if (Files.exists(socket)) {
            if (answers(socket)) {
                throw new IOException("another runtime listens on the shell socket " + socket
                        + "; this one opens none");
            }
            Files.delete(socket);
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(ShellProtocol.shortest(socket)));
            if (posix()) {
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            }
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot open the shell socket " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Whether a runtime answers on the socket file (otherwise it is left over from one that was killed). */
    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(ShellProtocol.shortest(socket)))) {
            return true;
        } catch (IOException stale) {
            return false;
        }
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("Shell socket {}: {}", socket, e.getMessage());
                }
                return;
            }
            Thread thread = new Thread(null, () -> serve(client), "tether-shell-" + clientNumbers.incrementAndGet(), 0,
                    false);
            thread.setDaemon(true);
            clients.put(client, thread);
            if (!server.isOpen()) {
                close(client);
                clients.remove(client);
                return;
            }
            thread.start();
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(input(client), StandardCharsets.UTF_8));
            String header = lines.readLine();
            if (!ShellProtocol.INTERACTIVE.equals(header) && !ShellProtocol.BATCH.equals(header)) {
                ShellProtocol.write(client, ShellProtocol.ERR, "not a tether shell client\n");
                ShellProtocol.write(client, ShellProtocol.EXIT, "2");
                return;
            }
            LineShell.Output output = new LineShell.Output() {
                @Override
                public void out(String text) throws IOException {
                    send(client, ShellProtocol.OUT, text);
                }

                @Override
                public void err(String text) throws IOException {
                    send(client, ShellProtocol.ERR, text);
                }
            };
            int status = shell.run(lines::readLine, output, ShellProtocol.INTERACTIVE.equals(header));
            send(client, ShellProtocol.EXIT, Integer.toString(status));
        } catch (IOException e) {
            if (server.isOpen()) {
                LOG.debug("Shell client ended: {}", e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(client);
        }
    }

    /** Frames from the session thread and from Gogo's pipe threads do not interleave. */
    private static void send(SocketChannel client, byte type, String text) throws IOException {
        synchronized (client) {
            ShellProtocol.write(client, type, text);
        }
    }

    /**
     * The client's bytes, read from the channel directly: {@code Channels.newInputStream} would hold the channel's
     * blocking lock while waiting, and so block every write.
     */
    private static InputStream input(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return channel.read(ByteBuffer.wrap(bytes, offset, length));
            }
        };
    }

    private static void close(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing a shell channel: {}", e.getMessage());
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Shell thread {} did not end within {} ms", thread.getName(), STOP_WAIT_MILLIS);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
