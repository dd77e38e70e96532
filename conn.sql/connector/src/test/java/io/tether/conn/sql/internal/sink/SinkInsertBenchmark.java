package io.tether.conn.sql.internal.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.osgi.service.jdbc.DataSourceFactory;

import io.tether.api.connection.Status;
import io.tether.api.io.Sink;
import io.tether.conn.sql.internal.Databases;
import io.tether.conn.sql.internal.connection.DatabaseUrl;
import io.tether.conn.sql.internal.connection.SqlPool;
import io.tether.testkit.RecordingSinkContext;

/**
 * Sink insert throughput into PostgreSQL: 100,000 rows of 5 columns through the connector's sink (the SPI, over the
 * real pool registry), against a bare JDBC batch insert of the same rows on the same JDBC URL, in the same run, the
 * same number of rows per batch (one emission = one batch), each on one connection kept for the run. Warm-up, then
 * rounds that alternate which goes first; the best round of each counts. Prints figures, asserts nothing; not part of the build:
 * {@code mvn -B -pl conn.sql/connector -am test -Dtest=SinkInsertBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (properties {@code bench.rows} [100000], {@code bench.batch} [1000], {@code bench.rounds} [4]).
 */
class SinkInsertBenchmark {
    private static final int ROWS = Integer.getInteger("bench.rows", 100_000);
    private static final int BATCH = Integer.getInteger("bench.batch", 1000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    private static final String URL = Databases.POSTGRES_URL;
    private static final String COLUMNS = "id, device, temperature, humidity, ts";

    @Test
    void sinkAgainstBareJdbc() throws Exception {
        List<List<Map<String, Object>>> emissions = emissions(ROWS);
        try (Connection db = Databases.postgres(); SqlPool pool = new SqlPool().withDriver(Databases.postgresDriver())) {
            for (String table : List.of("tether_bench_sink", "tether_bench_jdbc")) {
                Databases.execute(db, "DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table
                        + " (id BIGINT, device TEXT, temperature DOUBLE PRECISION, humidity DOUBLE PRECISION, ts TIMESTAMP)");
            }
            Sink sink = new SqlSinkProvider().create(Map.of("url", URL, "table", "tether_bench_sink"));
            sink.open(new RecordingSinkContext(pool.connections, "bench", "op", false));
            pool.awaitStatus(pool.connections.list(true).get(0).id(), Status.CONNECTED, null);
            Connection bare = bareConnection(DatabaseUrl.parse(URL, null, null).jdbcUrl());

            List<List<Map<String, Object>>> warmUp = emissions.subList(0, Math.min(emissions.size(), 20));
            viaSink(sink, warmUp);
            bare(bare, warmUp);
            double bestSink = 0;
            double bestBare = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                Databases.execute(db, "TRUNCATE tether_bench_sink", "TRUNCATE tether_bench_jdbc");
                double bareRate;
                double sinkRate;
                if (round % 2 == 1) {
                    bareRate = ROWS / bare(bare, emissions);
                    sinkRate = ROWS / viaSink(sink, emissions);
                } else {
                    sinkRate = ROWS / viaSink(sink, emissions);
                    bareRate = ROWS / bare(bare, emissions);
                }
                System.out.printf("round %d: bare JDBC %,.0f rows/s, sink %,.0f rows/s%n", round, bareRate, sinkRate);
                bestBare = Math.max(bestBare, bareRate);
                bestSink = Math.max(bestSink, sinkRate);
            }
            sink.close();
            bare.close();
            System.out.printf("%,d rows of 5 columns, %d per batch, best of %d rounds:%n", ROWS, BATCH, ROUNDS);
            System.out.printf("  bare JDBC batch insert: %,.0f rows/s%n", bestBare);
            System.out.printf("  connector sink:         %,.0f rows/s%n", bestSink);
            System.out.printf("  ratio sink/bare:        %.3f%n", bestSink / bestBare);
        }
    }

    /** @return seconds */
    private static double viaSink(Sink sink, List<List<Map<String, Object>>> emissions) throws Exception {
        long start = System.nanoTime();
        for (List<Map<String, Object>> emission : emissions) {
            sink.collect(emission);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** @return seconds */
    private static double bare(Connection connection, List<List<Map<String, Object>>> emissions)
            throws SQLException {
        long start = System.nanoTime();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO tether_bench_jdbc (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
            for (List<Map<String, Object>> emission : emissions) {
                for (Map<String, Object> row : emission) {
                    int parameter = 1;
                    for (Object value : row.values()) {
                        insert.setObject(parameter++, value);
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static Connection bareConnection(String jdbcUrl) throws SQLException {
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, jdbcUrl);
        props.setProperty(DataSourceFactory.JDBC_USER, "postgres");
        Connection connection = Databases.postgresDriver().createDataSource(props).getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    private static List<List<Map<String, Object>>> emissions(int rows) {
        List<List<Map<String, Object>>> emissions = new ArrayList<>();
        LocalDateTime base = LocalDateTime.of(2025, 1, 1, 0, 0);
        for (int first = 0; first < rows; first += BATCH) {
            List<Map<String, Object>> emission = new ArrayList<>(BATCH);
            for (int id = first; id < Math.min(rows, first + BATCH); id++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", (long) id);
                row.put("device", "device-" + (id % 50));
                row.put("temperature", 20 + (id % 100) / 10.0);
                row.put("humidity", 40 + (id % 37) / 3.0);
                row.put("ts", base.plusSeconds(id));
                emission.add(row);
            }
            emissions.add(emission);
        }
        return emissions;
    }
}
