/**
 * The device registry: JDBI SqlObject DAOs over a DataSource (container JNDI or HikariCP), HSQLDB by default or
 * PostgreSQL, with the schema migrated at startup by Flyway from {@code db/migration}. The only package that imports
 * JDBI, Flyway or JDBC drivers.
 */
package org.openest.est.store;
