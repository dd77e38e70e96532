package io.tether.edgex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Floats as Go's FormatFloat(v, 'e', -1, bits) writes them, as EdgeX writes Float32 and Float64 readings. */
class GoFormatsTest {

    @Test
    void floatsAreWrittenInShortestENotation() {
        assertEquals("1.5e+00", GoFormats.float64(1.5));
        assertEquals("2e+00", GoFormats.float64(2));
        assertEquals("-2.5e-07", GoFormats.float64(-2.5e-7));
        assertEquals("1.2345678901234567e+19", GoFormats.float64(12345678901234567890.0));
        assertEquals("1e+100", GoFormats.float64(1e100));
        assertEquals("0e+00", GoFormats.float64(0));
        assertEquals("2.15e+01", GoFormats.float64(21.5));
        assertEquals("1.1e+00", GoFormats.float32(1.1f));
        assertEquals("3.4028235e+38", GoFormats.float32(Float.MAX_VALUE));
        assertEquals("+Inf", GoFormats.float64(Double.POSITIVE_INFINITY));
        assertEquals("NaN", GoFormats.float64(Double.NaN));
    }

    @Test
    void floatsAndBoolsAreReadAsGoReadsThem() {
        assertEquals(1.5, GoFormats.parseFloat("1.5e+00"));
        assertEquals(Double.NEGATIVE_INFINITY, GoFormats.parseFloat("-Inf"));
        assertThrows(NumberFormatException.class, () -> GoFormats.parseFloat("1.5f"));
        assertThrows(NumberFormatException.class, () -> GoFormats.parseFloat("1e309"));
        assertEquals(true, GoFormats.parseBool("T"));
        assertEquals(false, GoFormats.parseBool("0"));
        assertThrows(IllegalArgumentException.class, () -> GoFormats.parseBool("yes"));
    }

    @Test
    void float32TextIsReadWithFloatPrecisionAsGoParseFloatWithBitSize32() {
        assertEquals(1.100000023841858, GoFormats.parseFloat32("1.1e+00"));
        assertEquals((double) 0.1f, GoFormats.parseFloat32("0.1"));
        assertEquals(3.4028234663852886e38, GoFormats.parseFloat32("3.4028235e+38"));
        assertEquals(1.5, GoFormats.parseFloat32("1.5e+00"));
        assertEquals(Double.POSITIVE_INFINITY, GoFormats.parseFloat32("+Inf"));
        assertThrows(NumberFormatException.class, () -> GoFormats.parseFloat32("3.5e+38"));
        assertThrows(NumberFormatException.class, () -> GoFormats.parseFloat32("1.1f"));
        assertEquals(1.1, GoFormats.parseFloat("1.1e+00"));
    }
}
