/**
 * Wiring: {@link org.openest.est.app.EstContextListener} reads the configuration, opens the CA and the registry,
 * builds the services once by constructor injection and publishes them to the servlets. The only package that
 * knows every other package.
 */
package org.openest.est.app;
