/**
 * The HTTP layer: one servlet routes {@code /.well-known/est[/label]/op}, filters log requests and refuse plain
 * HTTP, the caller is resolved from what the container verified, and every error is written by
 * {@link org.openest.est.http.ErrorResponder}. The only package that imports {@code jakarta.servlet}.
 */
package org.openest.est.http;
