package org.openest.est.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throwaway PostgreSQL database for the {@code *PostgresIT} tests: created on the server named by
 * {@code EST_TEST_POSTGRES_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=root}), dropped by
 * {@link #close()}. Fails loudly if PostgreSQL cannot be reached.
 *
 * @param adminUrl JDBC URL of the database the tests connect to first
 * @param name the new database's name
 * @param url JDBC URL of the new database
 */
public record PostgresTestDatabase(String adminUrl, String name, String url) implements AutoCloseable {

    /**
     * @param prefix start of the database name (letters, digits, underscores)
     * @return the new, empty database
     * @throws SQLException if PostgreSQL cannot be reached or refuses
     */
    public static PostgresTestDatabase create(String prefix) throws SQLException {
        String adminUrl = System.getenv().getOrDefault("EST_TEST_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=root");
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(adminUrl, "CREATE DATABASE " + name);
        return new PostgresTestDatabase(adminUrl, name, adminUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"));
    }

    /** Drops the database, closing any connection still open to it. */
    @Override
    public void close() throws SQLException {
        execute(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
