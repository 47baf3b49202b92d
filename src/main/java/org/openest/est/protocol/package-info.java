/**
 * RFC 7030 / RFC 8951 wire formats with no servlet, SQL or configuration imports: CSR decoding and proof of
 * possession, certs-only CMS encoding, csrattrs, re-enrollment name rules, and the list of client-visible errors.
 */
package org.openest.est.protocol;
