package org.openest.est.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;

/** Reads a request body up to a cap, never buffering more than the cap plus one read. */
final class BodyReader {
    /**
     * How much of an oversized body is read and discarded so that the client sees the 413 (Tomcat's
     * maxSwallowSize does the same, with 2 MiB). Why: a socket closed with request bytes still unread is reset,
     * and the reset can destroy the 413 on the client side before it reads it (seen with the JDK client and Jetty
     * at a 70 KB body). Above this the connection is simply closed.
     */
    static final long DRAIN_LIMIT = 1L << 20;
    /** And for how long, so that a dripping client cannot hold the thread for longer than this plus one read. */
    static final long DRAIN_NANOS = 5_000_000_000L;

    private BodyReader() {
    }

    /**
     * @param request the request
     * @param max the cap in bytes
     * @return the body
     * @throws EstException BODY_TOO_LARGE if the declared, chunked or lying body exceeds the cap, INCOMPLETE_BODY if
     *                      it cannot be read to its end
     * @throws IOException never in practice (kept for callers)
     */
    static byte[] read(HttpServletRequest request, long max) throws EstException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > max) {
            discardRest(request, 0);
            throw tooLarge(max);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 4096);
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (body.size() + n > max) {
                    discardRest(request, body.size() + n);
                    throw tooLarge(max);
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

    private static EstException tooLarge(long max) {
        return new EstException(EstError.BODY_TOO_LARGE, "limit is " + max + " bytes");
    }

    /**
     * Reads and discards the rest of an oversized body, within {@link #DRAIN_LIMIT} and {@link #DRAIN_NANOS}, so that
     * the client sees the answer that refuses it. Not when nothing was read yet and the client waits for a
     * "100 Continue" (reading would invite the body), nor when it declared more than the limit.
     *
     * @param request the request
     * @param alreadyRead bytes of the body read so far
     */
    private static void discardRest(HttpServletRequest request, long alreadyRead) {
        if (request.getContentLengthLong() > DRAIN_LIMIT) {
            return;
        }
        String expect = request.getHeader("Expect");
        if (alreadyRead == 0 && expect != null && expect.toLowerCase(java.util.Locale.ROOT).contains("100-continue")) {
            return;
        }
        long deadline = System.nanoTime() + DRAIN_NANOS;
        long total = alreadyRead;
        byte[] buffer = new byte[8192];
        try {
            InputStream in = request.getInputStream();
            for (int n = in.read(buffer); n >= 0 && total <= DRAIN_LIMIT && System.nanoTime() < deadline;
                 n = in.read(buffer)) {
                total += n;
            }
        } catch (IOException e) {
            // Nothing to save: the refusal is the same either way, and the container closes the connection.
        }
    }
}
