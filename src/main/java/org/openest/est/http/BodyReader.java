package org.openest.est.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;

/** Reads a request body up to a cap, never buffering more than the cap plus one read. */
final class BodyReader {
    private BodyReader() {
    }

    /**
     * Refuses a declared Content-Length above the cap without reading anything.
     *
     * @param request the request
     * @param max the cap in bytes
     * @throws EstException BODY_TOO_LARGE
     */
    static void checkDeclaredLength(HttpServletRequest request, long max) throws EstException {
        if (request.getContentLengthLong() > max) {
            throw new EstException(EstError.BODY_TOO_LARGE, "limit is " + max + " bytes");
        }
    }

    /**
     * @param request the request
     * @param max the cap in bytes
     * @return the body
     * @throws EstException BODY_TOO_LARGE if the (chunked or lying) body exceeds the cap, INCOMPLETE_BODY if it
     *                      cannot be read to its end
     * @throws IOException never in practice (kept for callers)
     */
    static byte[] read(HttpServletRequest request, long max) throws EstException, IOException {
        checkDeclaredLength(request, max);
        long declared = request.getContentLengthLong();
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 4096);
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (body.size() + n > max) {
                    throw new EstException(EstError.BODY_TOO_LARGE, "limit is " + max + " bytes");
                }
                body.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // The client stalled past the container's idle timeout, reset, or broke the chunked framing. Left to the
            // container this is a 500 (Jetty) for what is the client's fault.
            throw new EstException(EstError.INCOMPLETE_BODY);
        }
        return body.toByteArray();
    }
}
