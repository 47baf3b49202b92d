-- The embedded registry's row cache: 2 MB and 10 000 rows, down from HSQLDB's 10 MB and 50 000.
-- Why: the cache holds the rows of the last few seconds of enrollments, so under load every young garbage collection
-- copied them again. Measured in the benchmark's Tomcat at 32 clients: G1 young pauses median 8.5-9.7 -> 5.0-5.3 ms,
-- p90 15-17 -> 10-11 ms, and the keep-alive enrollment p99 a few ms lower (see BENCHMARKS.md). An enrollment
-- reads little (a device by subject, a certificate by serial); the rows go to the .data file sooner, which the OS
-- caches. A new database gets these settings from its URL (ConfigLoader.embeddedDatabaseUrl); an existing one from
-- here, effective from its next start (HSQLDB sizes the cache when it opens the data file).
SET FILES CACHE SIZE 2000;
SET FILES CACHE ROWS 10000;
