-- CRL numbers (RFC 5280 5.2.3: monotonically increasing per CA), shared by every node through the database.
CREATE TABLE crl_counter (
    issuer     VARCHAR(2048) NOT NULL PRIMARY KEY,
    crl_number BIGINT        NOT NULL
);

CREATE INDEX certificate_status_idx ON certificate (issuer, status);
CREATE INDEX certificate_serial_idx ON certificate (serial);
CREATE INDEX device_status_idx ON device (status);
