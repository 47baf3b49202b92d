-- PostgreSQL only (db/vendor/postgresql): the admin API's device search (?q=) is LOWER(subject) LIKE '%text%',
-- which no B-tree index can answer; a trigram GIN index can. pg_trgm is a trusted extension (PostgreSQL 13+):
-- the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX device_subject_trgm_idx ON device USING gin (LOWER(subject) gin_trgm_ops);
