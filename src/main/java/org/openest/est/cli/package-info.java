/**
 * The admin command line, {@code bin/est-admin} ({@link org.openest.est.cli.EstAdmin}): create or import the CA,
 * the TLS server key store and trust store, RA certificates for gateways, password hashes for tomcat-users.xml,
 * CA chain export and listing, and the development setup. One class per command; runs from the WAR's classes and
 * libraries and never loads the servlet API.
 */
package org.openest.est.cli;
