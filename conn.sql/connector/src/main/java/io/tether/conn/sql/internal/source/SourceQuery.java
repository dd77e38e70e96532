package io.tether.conn.sql.internal.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The query a source runs at each poll, with the last index value read as its parameter. */
interface SourceQuery {

    /** The index the query reads by, or {@code null} when it reads every row each time. */
    IndexSpec index();

    /** @param last the greatest index value accepted so far, or {@code null} when none is known */
    PreparedStatement prepare(Connection connection, IndexValue last, boolean textDatetimes) throws SQLException;
}
