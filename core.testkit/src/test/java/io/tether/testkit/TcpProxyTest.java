package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class TcpProxyTest {

    @Test
    void aCutProxyRefusesNewLinksAsSoonAsCutReturns() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 50; i++) {
                try (TcpProxy proxy = new TcpProxy(target.getLocalPort())) {
                    proxy.cut();
                    assertFalse(Peers.listening(proxy.port()), "round " + i + ": still listening after cut()");
                }
            }
        }
    }
}
