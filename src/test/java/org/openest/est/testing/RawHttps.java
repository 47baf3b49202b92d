package org.openest.est.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 over a raw TLS socket, for requests no HTTP client library would send: duplicated or oversized headers,
 * lying lengths, broken chunking, bodies dripped a few bytes at a time. Reads at most one response.
 */
public final class RawHttps implements AutoCloseable {
    private final SSLSocket socket;
    private final OutputStream out;
    private final InputStream in;

    /**
     * What came back: a response, or the server closed (or reset) the connection without one.
     *
     * @param status status code, or -1 if the connection was closed without a status line
     * @param headers header lines as received ("Name: value")
     * @param body body bytes (by Content-Length, else up to the close)
     */
    public record Answer(int status, List<String> headers, byte[] body) {
        /** @return true if the server closed the connection without answering */
        public boolean closed() {
            return status < 0;
        }

        /** @return the first value of a header, case-insensitively */
        public Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).trim()).findFirst();
        }

        @Override
        public String toString() {
            return closed() ? "connection closed without a response"
                    : status + " " + header("Content-Type").orElse("") + " "
                    + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        }
    }

    private RawHttps(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /**
     * @param pki the test PKI (its CA is trusted)
     * @param port the TLS port on 127.0.0.1
     * @param readTimeout how long a read may block before the server counts as hung
     * @return a connected, handshaken socket
     * @throws IOException if the connection fails
     */
    public static RawHttps connect(TestPki pki, int port, Duration readTimeout) throws IOException {
        SSLSocket socket = (SSLSocket) TestPki.sslContext(null, pki.caCertificate()).getSocketFactory()
                .createSocket("localhost", port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.startHandshake();
        return new RawHttps(socket);
    }

    /**
     * Sends bytes; a server that already closed the connection is not an error here (see {@link #answer}).
     *
     * @param bytes request bytes
     * @return false if the server had closed or reset the connection
     */
    public boolean send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads one response, or notices the connection closed.
     *
     * @return the answer
     * @throws SocketTimeoutException if the server neither answers nor closes within the read timeout
     */
    public Answer answer() throws SocketTimeoutException {
        List<String> headers = new ArrayList<>();
        int status = -1;
        try {
            String statusLine = line();
            if (statusLine == null) {
                return new Answer(-1, headers, new byte[0]);
            }
            status = Integer.parseInt(statusLine.split(" ")[1]);
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                headers.add(header);
            }
            Answer head = new Answer(status, headers, new byte[0]);
            Optional<String> length = head.header("Content-Length");
            byte[] body = length.isPresent() ? in.readNBytes(Integer.parseInt(length.get()))
                    : head.header("Transfer-Encoding").filter(te -> te.equalsIgnoreCase("chunked")).isPresent()
                    ? chunked() : readToClose();
            return new Answer(status, headers, body);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return new Answer(status, headers, new byte[0]); // reset by the server
        }
    }

    /** Sends the request and reads the answer. */
    public Answer exchange(byte[] request) throws SocketTimeoutException {
        send(request);
        return answer();
    }

    private String line() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String line = text.toString(StandardCharsets.ISO_8859_1);
                return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            }
            text.write(b);
        }
        return text.size() == 0 ? null : text.toString(StandardCharsets.ISO_8859_1);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String size = line(); size != null; size = line()) {
            int length = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (length == 0) {
                line();
                break;
            }
            body.writeBytes(in.readNBytes(length));
            line();
        }
        return body.toByteArray();
    }

    private byte[] readToClose() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0 && body.size() < 1 << 20; n = in.read(buffer)) {
                body.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // closed or timed out after a response: what we have is the body
        }
        return body.toByteArray();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
