package io.tether.http.internal.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Whether the management port's bind address ({@code org.apache.felix.http.host}) reaches beyond this machine. */
final class BindAddress {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.]+]?");

    private BindAddress() {
    }

    /** Felix binds every interface when no host is set; a host name other than localhost is taken as remote. */
    static boolean isLoopbackOnly(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = host.strip();
        if (name.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(name).matches()) {
            return false;
        }
        try {
            // an IP literal: parsed, never looked up
            return InetAddress.getByName(name.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
