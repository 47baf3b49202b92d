#!/usr/bin/env bash
# The EST server benchmark: enrollments per second against the physical floor of this machine (see BENCHMARKS.md).
#
# Usage: bench/run.sh [--smoke] [--no-floor] [--no-registry] [--registry] [--no-pg] [--no-jfr] [--port N] [--duration S] [--warmup S] [--warmup-max S]
#                     [--clients LIST] [--ops LIST] [--modes LIST] [--scale LIST] [--pause-damon]
#   (default)     JMH floor (~3 min), the registry alone under 8 and 32 writers (~1 min), then the built WAR in real Tomcat 11.0.24 with the shipped server.xml and a
#                 fresh dev PKI, driven over TLS on loopback: cacerts, simpleenroll (Basic and RA certificate),
#                 simplereenroll (device certificates), 1/8/32/128 clients, keep-alive and a new TLS handshake per
#                 request; JFR profiles of the main scenarios; then PostgreSQL at 1k/10k/100k devices. ~25 min.
#   --smoke       the same pipeline, tiny (1 s scenarios, 2 s warm-up, no PostgreSQL, short JMH): < 90 s once built.
#   --no-floor / --no-registry / --no-load / --no-pg / --no-jfr   skip a part (--no-load: the HSQLDB load matrix).
#   --warmup S / --warmup-max S   warm up at least S s, then on until the JIT compilers use under 5 % of the CPU (default 60 / 600).
#   --registry    only the registry-alone part (no Tomcat, no floor).
#   --scale LIST  registry sizes for PostgreSQL, default 1000,10000,100000.
#   --serve       only set up and start the benchmark's Tomcat (HSQLDB) and wait, for manual runs of the load
#                 generator or profiling; prints the port, pid and the LoadGenerator command line (no floor).
#   --pause-damon switch the kernel's DAMON memory monitor off for the run and back on when it ends (needs root;
#                 machine-wide; the report says so). On a 2-core VM its kdamond thread takes a core for 5-40 ms at a
#                 time, several times a second, which sets the keep-alive p99 (BENCHMARKS.md). Off by default.
# Environment: TOMCAT_VERSION (default 11.0.24), MVN (default mvn), MVN_ARGS, JAVA_HOME,
#   PGHOST/PGPORT/PGUSER (default 127.0.0.1/5432/postgres, trust auth), BENCH_DB (default estbench).
# Output: the tables on stdout and in target/bench/report.md (with the machine description and load averages);
# raw files (JMH JSON, JFR recordings, Tomcat logs) under target/bench/. Exits 1 if any request failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/target/bench
TOMCAT_VERSION=${TOMCAT_VERSION:-11.0.24}
MVN=${MVN:-mvn}
read -r -a MVN_EXTRA <<<"${MVN_ARGS:-}"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JFR=${JAVA_HOME:+$JAVA_HOME/bin/}jfr
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
BENCH_DB=${BENCH_DB:-estbench}

SMOKE=false FLOOR=true REGISTRY=true REGISTRY_ONLY=false LOAD=true PG=true PROFILE=true PORT= SERVE=false
PAUSE_DAMON=false
MAX=25000 DURATION=10 WARMUP=60 WARMUP_MAX=600 CLIENTS=1,8,32,128 OPS=cacerts,cacerts-mtls,enroll-basic,enroll-cert,reenroll
MODES=keepalive,newconn SCALE=1000,10000,100000
while (($#)); do
    case $1 in
        --smoke) SMOKE=true ;;
        --no-floor) FLOOR=false ;;
        --no-pg) PG=false ;;
        --no-registry) REGISTRY=false ;;
        --registry) REGISTRY_ONLY=true FLOOR=false ;;
        --no-load) LOAD=false ;;
        --no-jfr) PROFILE=false ;;
        --serve) SERVE=true FLOOR=false REGISTRY=false ;;
        --pause-damon) PAUSE_DAMON=true ;;
        --port) PORT=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --warmup-max) WARMUP_MAX=$2; shift ;;
        --clients) CLIENTS=$2; shift ;;
        --ops) OPS=$2; shift ;;
        --modes) MODES=$2; shift ;;
        --scale) SCALE=$2; shift ;;
        *) echo "usage: $0 [--smoke] [--no-floor] [--no-registry] [--registry] [--no-pg] [--no-jfr] [--port N] [--duration S] [--warmup S] [--warmup-max S]" \
                "[--clients LIST] [--ops LIST] [--modes LIST] [--scale LIST] [--pause-damon]" >&2; exit 2 ;;
    esac
    shift
done
if $SMOKE; then
    DURATION=1 WARMUP=2 WARMUP_MAX=2 CLIENTS=${CLIENTS/1,8,32,128/1,8} PG=false PROFILE=false MAX=2000
fi
REGISTRY_ARGS=(--writers 8,32 --seconds 10 --rounds 3)
$SMOKE && REGISTRY_ARGS=(--writers 8 --seconds 1 --rounds 2)

START=$SECONDS
log() { echo "bench: [$((SECONDS - START)) s] $*"; }
die() { log "ERROR: $*" >&2; exit 2; }
for tool in curl openssl tar; do command -v "$tool" >/dev/null || die "$tool not found"; done
[[ -n $PORT ]] || PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

# --pause-damon: each running DAMON monitor off for the run, and on again at exit (its settings stay as they are).
DAMON_ROOT=/sys/kernel/mm/damon/admin/kdamonds
PAUSED_DAMON=()
resume_damon() {
    local k
    for k in "${PAUSED_DAMON[@]}"; do
        echo on >"$k/state" 2>/dev/null || log "WARNING: DAMON stays off; switch it on with: echo on > $k/state"
    done
    PAUSED_DAMON=()
}
if $PAUSE_DAMON; then
    for k in "$DAMON_ROOT"/[0-9]*; do
        [[ -r $k/state && $(<"$k/state") == on ]] || continue
        echo off >"$k/state" 2>/dev/null || { resume_damon; die "--pause-damon: cannot write $k/state (needs root)"; }
        PAUSED_DAMON+=("$k")
    done
    trap resume_damon EXIT
    trap 'exit 130' INT TERM
    log "DAMON paused: ${#PAUSED_DAMON[@]} monitor(s)"
fi

mkdir -p "$OUT"
REPORT=$OUT/report.md

# ---------------------------------------------------------------------------------------------------------------
# Build: the WAR, the bench classes (src/bench/java, -Pbench) and their classpath.
log "building (mvn -Pbench package, tests skipped)"
rm -rf "$ROOT/target/classes" "$ROOT/target/est" # no stale resources (e.g. a deleted migration) in the WAR
(cd "$ROOT" && "$MVN" -q -B "${MVN_EXTRA[@]}" -Pbench -DskipTests package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt") >"$OUT/build.log" 2>&1 ||
    { tail -n 50 "$OUT/build.log" >&2; die "build failed"; }
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(<"$OUT/classpath.txt")"

machine() {
    echo "## Machine"
    echo
    echo '```'
    lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket|CPU max MHz|L3 cache|Flags)' | sed 's/^Flags:.*\(avx2\).*\(sha_ni\).*/Flags: ... avx2 ... sha_ni .../' | cut -c1-120
    grep MemTotal /proc/meminfo
    "$JAVA" -version 2>&1 | head -n 3
    echo "Tomcat $TOMCAT_VERSION (shipped tomcat-conf/server.xml: NIO + JSSE, maxThreads 100)"
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    damon
    echo '```'
    echo
}

# The kernel's DAMON monitor, if running, takes a core for 5-40 ms at a time, several times a second (BENCHMARKS.md).
damon() {
    local k ctx state
    for k in "$DAMON_ROOT"/[0-9]*; do
        [[ -r $k/state ]] || continue
        if [[ " ${PAUSED_DAMON[*]} " == *" $k "* ]]; then
            state="paused for this run (--pause-damon)"
        elif [[ $(<"$k/state") == on ]]; then
            state="on (pid $(<"$k/pid"))"
        else
            continue
        fi
        ctx=$k/contexts/0
        echo "kernel: DAMON kdamond $state: $(<"$ctx/operations") monitoring, sampling every" \
            "$(($(<"$ctx/monitoring_attrs/intervals/sample_us") / 1000)) ms, scheme actions:" \
            "$(cat "$ctx"/schemes/[0-9]*/action 2>/dev/null | tr '\n' ' ')"
    done 2>/dev/null || true
}
machine >"$REPORT"
cat "$REPORT"

# ---------------------------------------------------------------------------------------------------------------
# 1. The floor (JMH): the unavoidable work per enrollment, measured before Tomcat starts.
FLOOR_FILES=
if $FLOOR; then
    if $SMOKE; then JMH_ITER=(-wi 1 -w 1s -i 1 -r 1s) JMH_FILTER='FloorBenchmark.enrollment'; else
        JMH_ITER=(-wi 3 -w 2s -i 3 -r 2s) JMH_FILTER='FloorBenchmark'; fi
    log "JMH floor, 1 thread: $JMH_FILTER"
    "$JAVA" -Dbench.tmp="$OUT" -cp "$CP" org.openjdk.jmh.Main "$JMH_FILTER" -f 1 "${JMH_ITER[@]}" -t 1 \
        -jvmArgs "-Dbench.tmp=$OUT" -rf json -rff "$OUT/floor-1t.json" >"$OUT/floor-1t.log" 2>&1 ||
        { tail -n 40 "$OUT/floor-1t.log" >&2; die "JMH failed"; }
    log "JMH floor, 2 threads: enrollment"
    "$JAVA" -cp "$CP" org.openjdk.jmh.Main 'FloorBenchmark.enrollment' -f 1 "${JMH_ITER[@]}" -t 2 \
        -jvmArgs "-Dbench.tmp=$OUT" -rf json -rff "$OUT/floor-2t.json" >"$OUT/floor-2t.log" 2>&1 ||
        { tail -n 40 "$OUT/floor-2t.log" >&2; die "JMH failed"; }
    {
        echo "## Floor (JMH 1.37, 1 fork, ${JMH_ITER[*]}; load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
        echo
        echo '```'
        sed -n '/^Benchmark/,$p' "$OUT/floor-1t.log"
        sed -n '/^Benchmark/,$p' "$OUT/floor-2t.log" | sed 1d | sed 's/^FloorBenchmark.enrollment/FloorBenchmark.enrollment (2 threads)/'
        echo '```'
        echo
    } | tee -a "$REPORT"
    FLOOR_FILES="$OUT/floor-1t.json,$OUT/floor-2t.json"
fi

# ---------------------------------------------------------------------------------------------------------------
# 1b. The registry alone: the enrollment write (group commit included) from 8 and 32 threads, no TLS, no crypto.
if $REGISTRY || $REGISTRY_ONLY; then
    log "registry alone: RegistryLoad ${REGISTRY_ARGS[*]}"
    "$JAVA" -cp "$CP" org.openest.est.bench.RegistryLoad "${REGISTRY_ARGS[@]}" --dir "$OUT" >"$OUT/registry.log" 2>&1 ||
        { tail -n 40 "$OUT/registry.log" >&2; die "RegistryLoad failed"; }
    rm -rf "$OUT"/registry-load*
    {
        echo "## Registry alone (RegistryLoad ${REGISTRY_ARGS[*]}; first round of each is a warm-up)"
        echo
        echo "Registry.recordIssued in a loop per thread, file HSQLDB opened as the server opens it (durable), no TLS."
        echo
        grep '^|' "$OUT/registry.log"
        echo
    } | tee -a "$REPORT"
fi
$REGISTRY_ONLY && exit 0

# ---------------------------------------------------------------------------------------------------------------
# 2. Tomcat with the built WAR, like .ci/tomcat-smoke.sh: fresh CATALINA_BASE, fresh dev PKI.
WORK=$OUT/tomcat
HOME_DIR=$WORK/est-home
BASE=$WORK/base
PIDFILE=$WORK/tomcat.pid
CA=$HOME_DIR/ca.pem
TC_HOME=$WORK/apache-tomcat-$TOMCAT_VERSION

stop_tomcat() {
    [[ -s $PIDFILE ]] || return 0
    local pid
    pid=$(<"$PIDFILE")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
}
trap 'stop_tomcat; resume_damon' EXIT
trap 'exit 130' INT TERM

setup_tomcat() {
    stop_tomcat
    rm -rf "$WORK"
    mkdir -p "$WORK/war" "$HOME_DIR" "$BASE"/{conf,logs,temp,webapps,work}
    cp "$ROOT/target/est.war" "$WORK/est.war"
    (cd "$WORK/war" && "${JAVA_HOME:+$JAVA_HOME/bin/}jar" xf "$WORK/est.war" WEB-INF/classes WEB-INF/lib)
    local tarball=$HOME/.m2/repository/org/apache/tomcat/tomcat/$TOMCAT_VERSION/tomcat-$TOMCAT_VERSION.tar.gz
    if [[ ! -s $tarball ]]; then
        (cd "$ROOT" && "$MVN" -q -B "${MVN_EXTRA[@]}" dependency:copy \
            -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz" -DoutputDirectory="$WORK") >"$WORK/mvn.log" 2>&1 ||
            { cat "$WORK/mvn.log" >&2; die "Maven could not resolve org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz"; }
        tarball=$WORK/tomcat-$TOMCAT_VERSION.tar.gz
    fi
    tar -xzf "$tarball" -C "$WORK"
    local admin=(-cp "$WORK/war/WEB-INF/classes:$WORK/war/WEB-INF/lib/*" org.openest.est.cli.EstAdmin)
    "$JAVA" "${admin[@]}" dev-setup --home "$HOME_DIR" >"$WORK/dev-setup.log" 2>&1 ||
        { cat "$WORK/dev-setup.log" >&2; die "dev-setup failed"; }
    # The RA certificate a bulk gateway would use (id-kp-cmcRA from the dev CA).
    echo changeit >"$WORK/ra-password"
    "$JAVA" "${admin[@]}" ra issue --ca-cert "$CA" --ca-key "$HOME_DIR/ca-key.pem" --subject "CN=bench gateway,O=EST Bench" \
        --out "$WORK/ra" --password-file "$WORK/ra-password" >"$WORK/ra.log" 2>&1 || { cat "$WORK/ra.log" >&2; die "ra issue failed"; }
    cp "$TC_HOME"/conf/{web.xml,context.xml,logging.properties,catalina.properties} "$BASE/conf/"
    cp "$ROOT"/tomcat-conf/server.xml "$BASE/conf/"
    # tomcat-users.xml: the shipped one (estuser, PBKDF2 100000 iterations) plus a benchmark-only admin account for
    # the admin API. Its hash uses 1000 iterations (SecretKeyCredentialHandler reads the count from each stored hash)
    # so that the admin list latencies show the database, not the password hash; the shipped config is unchanged.
    local hash
    hash=$(echo benchadmin | "$JAVA" "${admin[@]}" password hash --iterations 1000 | tail -n 1)
    sed "s|</tomcat-users>|  <role rolename=\"est-admin\" />\n  <!-- benchmark only (bench/run.sh) -->\n  <user username=\"benchadmin\" password=\"$hash\" roles=\"est-admin\" />\n</tomcat-users>|" \
        "$ROOT/tomcat-conf/tomcat-users.xml" >"$BASE/conf/tomcat-users.xml"
    cp "$WORK/est.war" "$BASE/webapps/ROOT.war"
}

start_tomcat() { # extra CATALINA_OPTS
    while read -r var; do unset "$var"; done < <(compgen -e | grep '^EST_' || true)
    CATALINA_HOME=$TC_HOME CATALINA_BASE=$BASE CATALINA_PID=$PIDFILE CATALINA_TMPDIR=$BASE/temp \
        CATALINA_OPTS="-Dest.home=$HOME_DIR -Dest.port=$PORT -Dest.address=127.0.0.1 $*" \
        "$TC_HOME/bin/catalina.sh" start >"$WORK/catalina-start.log" 2>&1 || die "catalina.sh start failed"
    local deadline=$((SECONDS + 90))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$CA" "https://localhost:$PORT/.well-known/est/cacerts" || true) == 200 ]]; do
        if [[ ! -s $PIDFILE ]] || ! kill -0 "$(<"$PIDFILE")" 2>/dev/null || ((SECONDS >= deadline)) ||
            grep -q 'startup failed due to previous errors' "$BASE/logs/catalina.out" 2>/dev/null; then
            tail -n 40 "$BASE/logs/catalina.out" >&2 || true
            die "Tomcat did not start"
        fi
        sleep 0.25
    done
    log "Tomcat $TOMCAT_VERSION answers on port $PORT (pid $(<"$PIDFILE"))"
}

load() {
    "$JAVA" -cp "$CP" org.openest.est.bench.LoadGenerator --host localhost --port "$PORT" --pid "$(<"$PIDFILE")" \
        --clk-tck "$(getconf CLK_TCK)" --ca "$CA" --ra-cert "$WORK/ra/ra.pem" --ra-key "$WORK/ra/ra-key.pem" \
        --user estuser:estpwd "$@"
}

STATUS=0
setup_tomcat
start_tomcat
if $SERVE; then
    echo "port $PORT pid $(<"$PIDFILE") base $BASE"
    echo "$JAVA -cp '$CP' org.openest.est.bench.LoadGenerator --host localhost --port $PORT --pid $(<"$PIDFILE")" \
        "--ca $CA --ra-cert $WORK/ra/ra.pem --ra-key $WORK/ra/ra-key.pem --user estuser:estpwd --ops enroll-cert" \
        "--clients 32 --modes keepalive" | tee "$OUT/serve-command.txt"
    while kill -0 "$(<"$PIDFILE")" 2>/dev/null; do sleep 1; done
    exit 0
fi
if $LOAD; then
JFR_SCENARIOS=
$PROFILE && JFR_SCENARIOS=enroll-basic/keepalive/32,enroll-cert/keepalive/32,enroll-cert/newconn/32,reenroll/keepalive/32
log "load test, HSQLDB (embedded, durable): ops $OPS, clients $CLIENTS, modes $MODES, ${DURATION} s each, warm-up ${WARMUP}-${WARMUP_MAX} s (until the JIT is quiet)"
rm -f "$OUT"/*.jfr
load --ops "$OPS" --clients "$CLIENTS" --modes "$MODES" --duration "$DURATION" --warmup "$WARMUP" --warmup-max "$WARMUP_MAX" --max "$MAX" \
    ${FLOOR_FILES:+--floor "$FLOOR_FILES"} --jfr-dir "$OUT" --jfr-scenarios "${JFR_SCENARIOS:-none}" \
    --out "$OUT/load.md" >"$OUT/load.log" 2>&1 || STATUS=1
cat "$OUT/load.log"
{
    echo "## Load test: Tomcat $TOMCAT_VERSION, HSQLDB file database (durable), EC P-256 CA and TLS key"
    echo
    echo "${DURATION} s (or $MAX requests) per scenario after a warm-up of at least ${WARMUP} s that goes on (up to ${WARMUP_MAX} s) until"
    echo "the JIT compilers use under 5 % of the server's and of the load generator's CPU; latencies are per request, measured"
    echo "by the client. \"server JIT %\" is the share of the server's CPU its compiler threads used during the scenario."
    echo
    echo '```'
    grep '^load: warm-up' "$OUT/load.log" || true
    echo '```'
    echo
    cat "$OUT/load.md"
    echo
} >>"$REPORT"
for jfr in "$OUT"/*.jfr; do
    [[ -e $jfr ]] || continue
    {
        echo "### JFR: $(basename "$jfr" .jfr)"
        echo
        "$JAVA" -cp "$CP" org.openest.est.bench.JfrTop "$jfr" 12
        echo
    } >>"$REPORT"
done
fi
stop_tomcat

# ---------------------------------------------------------------------------------------------------------------
# 3. PostgreSQL: the same enrollment scenario, and the admin API, at growing registry sizes.
if $PG; then
    command -v psql >/dev/null || die "psql not found"
    pg_isready -q || die "PostgreSQL is not running on $PGHOST:$PGPORT (pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start)"
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB" >/dev/null
    cat >"$WORK/est-pg.properties" <<EOF
database.url=jdbc:postgresql://$PGHOST:$PGPORT/$BENCH_DB
database.user=$PGUSER
EOF
    start_tomcat "-Dest.config=$WORK/est-pg.properties"
    # The JIT warm-up (enrollments) first, then an empty registry: each size below holds exactly its preloaded devices
    # plus what its own measurement enrolls.
    log "PostgreSQL: warming the server up"
    load --ops enroll-cert --modes keepalive --warmup 30 --warmup-max "$((WARMUP_MAX < 300 ? WARMUP_MAX : 300))" \
        --warmup-only >"$OUT/scale-warmup.log" 2>&1 || { cat "$OUT/scale-warmup.log"; die "warm-up failed"; }
    grep '^load: warm-up' "$OUT/scale-warmup.log" || true
    psql -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -c "TRUNCATE certificate, device" >/dev/null
    ISSUER=$(openssl x509 -in "$CA" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
    PEM=$(cat "$WORK/ra/ra.pem")
    loaded=0
    first=true
    : >"$OUT/scale.md"
    for size in ${SCALE//,/ }; do
        if ((size > loaded)); then
            t0=$SECONDS
            # One statement: devices and their current certificates (a real certificate's PEM, expiries spread over a year).
            psql -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -v issuer="$ISSUER" -v pem="$PEM" -v from="$loaded" -v to="$((size - 1))" <<'SQL' >/dev/null
WITH d AS (
  INSERT INTO device (subject, status, current_serial, created_at, updated_at)
  SELECT 'CN=scale-' || lpad(g::text, 7, '0') || ',O=EST Bench', 'ACTIVE', '5C' || lpad(to_hex(g), 14, '0'), now(), now()
  FROM generate_series(:from, :to) g
  RETURNING id, subject, current_serial)
INSERT INTO certificate (serial, issuer, device_id, subject, san, not_before, not_after, pem, principal, auth_method,
                         client_ip, label, operation, issued_at, status)
SELECT current_serial, :'issuer', id, subject, '', now(), now() + (id % 365) * interval '1 day', :'pem', 'preload',
       'PASSWORD', '127.0.0.1', '', 'simpleenroll', now(), 'VALID' FROM d;
ANALYZE device; ANALYZE certificate;
SQL
            loaded=$size
            log "preloaded $size devices in $((SECONDS - t0)) s"
        fi
        devices=$(psql -tA -d "$BENCH_DB" -c "SELECT COUNT(*) FROM device")
        load --admin benchadmin:benchadmin --devices "$devices" --label "$size preloaded ($devices in total)" \
            --duration "$DURATION" --warmup 5 --warmup-max 30 --clients 32 --header "$first" --needle scale-0000777 \
            --out "$OUT/scale.md" >"$OUT/scale-$size.log" 2>&1 || STATUS=1
        cat "$OUT/scale-$size.log"
        first=false
    done
    stop_tomcat
    {
        echo "## PostgreSQL 15: enrollment (RA certificate, keep-alive, 32 clients) and admin API latency by registry size"
        echo
        echo "Admin requests: one client, keep-alive, 40 sequential requests each, p50 (after 3 unmeasured)."
        echo "\"auth-only 404\" is GET /api/devices/999999999999: authentication + one primary-key lookup."
        echo
        cat "$OUT/scale.md"
        echo
    } >>"$REPORT"
fi

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$REPORT"
echo
echo "==================================================================================================="
cat "$REPORT"
log "report: $REPORT"
((STATUS == 0)) || log "FAILED: some requests failed (see above)"
exit $STATUS
