package io.tether.http.internal.auth;

/** Who made a request and what they may do. */
record Principal(String name, Role role) {

    boolean mayWrite() {
        return role == Role.ADMIN;
    }
}
