package io.tether.conn.sql.internal.sink;

/** A record the sink could not write, and why. @param index its position in the emission */
record RefusedRow(int index, String reason) {

    @Override
    public String toString() {
        return "row " + index + ": " + reason;
    }
}
