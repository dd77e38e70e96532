package io.tether.pool.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RuntimeInfoResourceTest {

    @Test
    void osAndArchUseGoNamesAsEkuiperAnswersThem() {
        assertEquals("linux", RuntimeInfoResource.os("Linux"));
        assertEquals("darwin", RuntimeInfoResource.os("Mac OS X"));
        assertEquals("windows", RuntimeInfoResource.os("Windows 11"));
        assertEquals("amd64", RuntimeInfoResource.arch("amd64"));
        assertEquals("arm64", RuntimeInfoResource.arch("aarch64"));
        assertEquals("386", RuntimeInfoResource.arch("x86"));
        assertEquals("riscv64", RuntimeInfoResource.arch("riscv64"));
    }
}
