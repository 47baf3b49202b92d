#!/usr/bin/env bash
# Smoke test of the built WAR on a real Apache Tomcat, set up the way an administrator does it:
# tomcat-conf/server.xml + tomcat-users.xml, tomcat-conf/context.xml as conf/Catalina/localhost/ROOT.xml and
# tomcat-conf/est.properties as conf/est.properties (the context's est.config).
#
# Usage: .ci/tomcat-smoke.sh PORT          (run `mvn package` first: needs target/est.war)
#   TOMCAT_VERSION       Tomcat distribution from Maven Central (org.apache.tomcat:tomcat:VERSION:tar.gz),
#                        default 11.0.24; 10.1.59 also works.
#   EST_SMOKE_DEPLOY     dropin (default): est.war copied to webapps/ROOT.war before Tomcat starts.
#                        manager: Tomcat starts with only the manager webapp (tomcat-conf/manager.xml, a
#                        "deployer" user with role manager-script and a PBKDF2-hashed random password), the WAR is
#                        uploaded with `curl -T est.war .../manager/text/deploy?path=/&update=true`, and after the
#                        checks it is uploaded again (an upgrade) and the data must still be there.
#   EST_SMOKE_DB         hsqldb (default): the webapp's embedded HSQLDB in the EST data directory.
#                        postgres: the PostgreSQL DataSource of context.xml (jdbc/est), postgresql-42.7.14.jar from
#                        ~/.m2 in CATALINA_BASE/lib, a fresh database est_smoke_<random> on 127.0.0.1:5432 (trust
#                        auth, user postgres or root; dropped afterwards); rows are checked with psql. If PostgreSQL
#                        is not running and cannot be started, a loud SKIP line is printed and the run uses hsqldb.
#   EST_SMOKE_STRONGSWAN auto (default: when `pki` is installed) | yes | no: strongSwan's `pki --estca` / `pki --est`.
#   MVN                  Maven command, default mvn.  MVN_ARGS  extra Maven arguments, e.g. "-o".
#
# Builds a fresh CATALINA_HOME + CATALINA_BASE and a fresh EST data directory under
# target/tomcat-smoke/VERSION-DEPLOY-DB/ (kept after the run for its logs), runs `EstAdmin dev-setup` from the WAR's
# own classes and libraries (so it matches the code under test even while target/classes is being rebuilt), deploys
# the WAR as ROOT, starts Tomcat on 127.0.0.1:PORT, checks the EST endpoints with curl + openssl (.ci/lib/checks.sh)
# and always stops Tomcat again. Prints one PASS/FAIL line per check and a summary
# "tomcat-smoke: N passed, M failed"; exits 1 if any check failed (including "Tomcat/the webapp did not start")
# and 2 if the test could not be set up (bad arguments, port in use, Maven could not resolve Tomcat, dev-setup failed).
set -euo pipefail

PORT=${1:-}
if [[ ! $PORT =~ ^[0-9]+$ ]]; then
    echo "usage: $0 PORT   (env TOMCAT_VERSION, EST_SMOKE_DEPLOY=dropin|manager, EST_SMOKE_DB=hsqldb|postgres)" >&2
    exit 2
fi
TOMCAT_VERSION=${TOMCAT_VERSION:-11.0.24}
DEPLOY=${EST_SMOKE_DEPLOY:-dropin}
DB=${EST_SMOKE_DB:-hsqldb}
STRONGSWAN=${EST_SMOKE_STRONGSWAN:-auto}
MVN=${MVN:-mvn}
read -r -a MVN_EXTRA <<<"${MVN_ARGS:-}"
[[ $DEPLOY == dropin || $DEPLOY == manager ]] || { echo "EST_SMOKE_DEPLOY must be dropin or manager" >&2; exit 2; }
[[ $DB == hsqldb || $DB == postgres ]] || { echo "EST_SMOKE_DB must be hsqldb or postgres" >&2; exit 2; }
[[ $STRONGSWAN == auto || $STRONGSWAN == yes || $STRONGSWAN == no ]] || { echo "EST_SMOKE_STRONGSWAN must be auto, yes or no" >&2; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/target/tomcat-smoke/$TOMCAT_VERSION-$DEPLOY-$DB
HOME_DIR=$WORK/est-home             # est.home
BASE=$WORK/base                     # CATALINA_BASE
T=$WORK/t                           # requests, responses, keys
PIDFILE=$WORK/tomcat.pid
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PG_JAR=$HOME/.m2/repository/org/postgresql/postgresql/42.7.14/postgresql-42.7.14.jar
START=$SECONDS

log() { echo "tomcat-smoke: [$((SECONDS - START)) s] $*"; }
die() { log "ERROR: $*" >&2; exit 2; }

# shellcheck source=.ci/lib/checks.sh
source "$ROOT/.ci/lib/checks.sh"

# ---------------------------------------------------------------------------------------------------------------
# Set-up
[[ -f $ROOT/target/est.war ]] || die "target/est.war missing: run 'mvn package' first"
for tool in curl openssl tar base64; do command -v "$tool" >/dev/null || die "$tool not found"; done
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "something already listens on 127.0.0.1:$PORT; choose another port"
fi
case $STRONGSWAN in
    auto) if command -v pki >/dev/null; then STRONGSWAN=yes; else STRONGSWAN=no; log "strongSwan pki not installed: its checks are left out"; fi ;;
    yes) command -v pki >/dev/null || die "EST_SMOKE_STRONGSWAN=yes but strongSwan's pki is not installed (apt-get install strongswan-pki)" ;;
esac

rm -rf "$WORK"
mkdir -p "$WORK" "$HOME_DIR" "$T"

PG_DB=
PG_USER=
psql_as() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U "$PG_USER" "$@"; }
stop_tomcat() {
    [[ -s $PIDFILE ]] || return 0
    local pid
    pid=$(<"$PIDFILE")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true     # Tomcat's shutdown hook stops it cleanly (shutdown port is -1)
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            log "Tomcat (pid $pid) did not stop within 10 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$PIDFILE"
}
cleanup() {
    stop_tomcat
    if [[ -n $PG_DB ]]; then
        psql_as -d test -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || log "could not drop PostgreSQL database $PG_DB"
        PG_DB=
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# PostgreSQL: running, or startable; else a loud SKIP and the embedded database.
if [[ $DB == postgres ]]; then
    pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
    if command -v psql >/dev/null && ! pg_up && command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
        log "PostgreSQL is not running; starting it"
        for v in /etc/postgresql/*; do
            pg_ctlcluster --skip-systemctl-redirect "$(basename "$v")" main start >>"$WORK/pg-start.log" 2>&1 || true
        done
        for _ in $(seq 1 40); do pg_up && break; sleep 0.25; done
    fi
    if ! command -v psql >/dev/null || ! pg_up; then
        echo "SKIP  ***** PostgreSQL JNDI variant NOT TESTED: no PostgreSQL at 127.0.0.1:5432 and it could not be started" \
            "($(tail -n 1 "$WORK/pg-start.log" 2>/dev/null || echo 'psql/pg_ctlcluster missing')); using the embedded HSQLDB *****"
        DB=hsqldb
    else
        [[ -s $PG_JAR ]] || die "$PG_JAR missing (mvn dependency:get -Dartifact=org.postgresql:postgresql:42.7.14)"
        for u in postgres root; do
            if psql -X -q -h 127.0.0.1 -p 5432 -U "$u" -d test -c 'SELECT 1' >/dev/null 2>&1; then PG_USER=$u; break; fi
        done
        [[ -n $PG_USER ]] || die "PostgreSQL runs but neither user postgres nor root can connect to database test"
        PG_DB=est_smoke_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
        psql_as -d test -c "CREATE DATABASE $PG_DB" >/dev/null || { PG_DB=; die "could not create database"; }
        log "PostgreSQL database $PG_DB created (user $PG_USER)"
    fi
fi

# A snapshot of the WAR: deployed as ROOT, and its WEB-INF/classes + WEB-INF/lib are EstAdmin's classpath.
cp "$ROOT/target/est.war" "$WORK/est.war"
mkdir -p "$WORK/war"
if command -v unzip >/dev/null; then
    unzip -q "$WORK/est.war" 'WEB-INF/classes/*' 'WEB-INF/lib/*' -d "$WORK/war"
else
    (cd "$WORK/war" && "${JAVA_HOME:+$JAVA_HOME/bin/}jar" xf "$WORK/est.war" WEB-INF/classes WEB-INF/lib)
fi

# The Tomcat distribution: straight from the default local repository when it is there (saves a Maven start),
# else resolved through Maven (downloads it from Central on first use).
TARBALL=$HOME/.m2/repository/org/apache/tomcat/tomcat/$TOMCAT_VERSION/tomcat-$TOMCAT_VERSION.tar.gz
if [[ ! -s $TARBALL ]]; then
    log "resolving org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz with Maven"
    if ! (cd "$ROOT" && "$MVN" -q -B "${MVN_EXTRA[@]}" dependency:copy \
        -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz" -DoutputDirectory="$WORK") >"$WORK/mvn.log" 2>&1; then
        cat "$WORK/mvn.log" >&2
        die "Maven could not resolve org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz"
    fi
    TARBALL=$WORK/tomcat-$TOMCAT_VERSION.tar.gz
fi

tar -xzf "$TARBALL" -C "$WORK"
TC_HOME=$WORK/apache-tomcat-$TOMCAT_VERSION
[[ -x $TC_HOME/bin/catalina.sh ]] || die "unexpected layout of tomcat-$TOMCAT_VERSION.tar.gz"

"$JAVA" -cp "$WORK/war/WEB-INF/classes:$WORK/war/WEB-INF/lib/*" org.openest.est.cli.EstAdmin \
    dev-setup --home "$HOME_DIR" >"$WORK/dev-setup.log" 2>&1 || { cat "$WORK/dev-setup.log" >&2; die "EstAdmin dev-setup failed"; }
CA=$HOME_DIR/ca.pem
for f in "$CA" "$HOME_DIR/tls/server.p12" "$HOME_DIR/tls/truststore.p12"; do
    [[ -s $f ]] || die "dev-setup did not create $f"
done

mkdir -p "$BASE"/{conf/Catalina/localhost,lib,logs,temp,webapps,work}
cp "$TC_HOME"/conf/{web.xml,context.xml,logging.properties,catalina.properties} "$BASE/conf/"
cp "$ROOT"/tomcat-conf/{server.xml,tomcat-users.xml,est.properties} "$BASE/conf/"
if [[ $DB == postgres ]]; then
    # The shipped descriptor with its PostgreSQL block enabled exactly as the comment tells an admin to.
    sed -e '/<!-- BEGIN PostgreSQL DataSource$/d' -e '/^ *END PostgreSQL DataSource -->$/d' \
        "$ROOT/tomcat-conf/context.xml" >"$BASE/conf/Catalina/localhost/ROOT.xml"
    grep -q '<Resource name="jdbc/est"' "$BASE/conf/Catalina/localhost/ROOT.xml" || die "could not enable the DataSource in context.xml"
    cp "$PG_JAR" "$BASE/lib/"
    DB_OPTS="-Dest.db.url=jdbc:postgresql://127.0.0.1:5432/$PG_DB -Dest.db.user=$PG_USER -Dest.db.password=unused-trust-auth"
else
    cp "$ROOT/tomcat-conf/context.xml" "$BASE/conf/Catalina/localhost/ROOT.xml"
    DB_OPTS=
fi

DEPLOYER_PW=
if [[ $DEPLOY == manager ]]; then
    [[ -d $TC_HOME/webapps/manager ]] || die "no manager webapp in $TC_HOME/webapps"
    cp "$ROOT/tomcat-conf/manager.xml" "$BASE/conf/Catalina/localhost/manager.xml"
    # A deployer with a random password, stored as a PBKDF2 hash made by the admin tool (as the README tells admins).
    DEPLOYER_PW=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    hash=$(printf '%s\n' "$DEPLOYER_PW" | EST_WAR_DIR=$WORK/war "$ROOT/bin/est-admin" password hash) || die "est-admin password hash failed"
    [[ $hash =~ ^[0-9a-f]+\$[0-9]+\$[0-9a-f]+$ ]] || die "unexpected hash from est-admin: $hash"
    awk -v hash="$hash" '/^<\/tomcat-users>/ { print "  <user username=\"deployer\" password=\"" hash "\" roles=\"manager-script\" />" } { print }' \
        "$ROOT/tomcat-conf/tomcat-users.xml" >"$BASE/conf/tomcat-users.xml"
    grep -q 'username="deployer"' "$BASE/conf/tomcat-users.xml" || die "could not add the deployer user"
else
    cp "$WORK/est.war" "$BASE/webapps/ROOT.war"
fi

# Hermetic: no EST_* settings (EST_HOME, EST_CONFIG, EST_<KEY>) from the caller's environment leak into the server.
while read -r var; do unset "$var"; done < <(compgen -e | grep '^EST_' || true)

log "starting Tomcat $TOMCAT_VERSION on 127.0.0.1:$PORT (deploy: $DEPLOY, database: $DB)"
CATALINA_HOME=$TC_HOME CATALINA_BASE=$BASE CATALINA_PID=$PIDFILE CATALINA_TMPDIR=$BASE/temp \
    CATALINA_OPTS="-Dest.home=$HOME_DIR -Dest.port=$PORT -Dest.address=127.0.0.1 $DB_OPTS" \
    "$TC_HOME/bin/catalina.sh" start >"$WORK/catalina-start.log" 2>&1 || die "catalina.sh start failed"

BASE_URL=https://localhost:$PORT/.well-known/est
MANAGER_URL=https://localhost:$PORT/manager/text
# start_failed REASON : the server under test did not come up; that is a test failure, not a set-up error.
start_failed() {
    echo "FAIL  Tomcat $TOMCAT_VERSION ($DEPLOY, $DB) starts and GET cacerts answers 200 within 60 s: $1"
    echo "----- $BASE/logs/catalina.out (errors) -----"
    { grep -E 'FATAL|SEVERE|ERROR|^Caused by|^[A-Za-z0-9_.$]+(Exception|Error)\b' "$BASE/logs/catalina.out" ||
        tail -n 40 "$BASE/logs/catalina.out"; } 2>/dev/null | head -n 40 || true
    echo "-----"
    FAILED=$((FAILED + 1)); summary tomcat-smoke
    exit 1
}
# wait_for URL CURL-ARGS... : until URL answers 200 (or Tomcat/the webapp is seen to fail, or 60 s pass).
wait_for() {
    local url=$1 deadline=$((SECONDS + 60))
    shift
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$CA" "$@" "$url" || true) == 200 ]]; do
        if [[ ! -s $PIDFILE ]] || ! kill -0 "$(<"$PIDFILE")" 2>/dev/null; then
            start_failed "Tomcat exited during start-up"
        fi
        if grep -q 'startup failed due to previous errors' "$BASE/logs/catalina.out" 2>/dev/null; then
            start_failed "the EST webapp failed to deploy (Context [] startup failed)"
        fi
        if ((SECONDS >= deadline)); then
            start_failed "no 200 from $url within 60 s"
        fi
        sleep 0.25
    done
}

# ---------------------------------------------------------------------------------------------------------------
# Deployment through the manager text API (what the manager console does), then the EST checks

manager_deploy() {    # manager_deploy NAME : PUT the WAR to /manager/text/deploy?path=/&update=true
    local code
    # The manager answers once the webapp has started: allow for a slow start on a loaded machine.
    code=$(http "$1" --max-time 180 -u "deployer:$DEPLOYER_PW" -T "$WORK/est.war" "$MANAGER_URL/deploy?path=/&update=true")
    expect_status "$1" 200 "$code" || return 1
    grep -q '^OK - Deployed application at context path \[/\]' "$T/$1.body" || { echo "manager said: $(describe "$1")"; return 1; }
}
manager_lists_root() {
    local code
    code=$(http mgr-list -u "deployer:$DEPLOYER_PW" "$MANAGER_URL/list")
    expect_status mgr-list 200 "$code" || return 1
    grep -q '^/:running:' "$T/mgr-list.body" || { echo "no '/:running:' in: $(tr '\n' ' ' <"$T/mgr-list.body")"; return 1; }
}
manager_refuses_est_user() {  # a valid user without manager-script
    local code
    code=$(http mgr-estuser -u estuser:estpwd "$MANAGER_URL/list")
    expect_status mgr-estuser 403 "$code"
}
manager_refuses_wrong_password() {
    local code
    code=$(http mgr-wrongpw -u deployer:wrong "$MANAGER_URL/list")
    expect_status mgr-wrongpw 401 "$code"
}

if [[ $DEPLOY == manager ]]; then
    wait_for "$MANAGER_URL/serverinfo" -u "deployer:$DEPLOYER_PW"
    log "manager answers; deploying est.war with curl -T .../manager/text/deploy?path=/&update=true"
    check "manager: curl -T est.war deploy?path=/&update=true answers 'OK - Deployed application at context path [/]'" manager_deploy mgr-deploy
    check "manager: wrong deployer password: 401" manager_refuses_wrong_password
    check "manager: estuser (no manager-script role): 403" manager_refuses_est_user
fi
wait_for "$BASE_URL/cacerts"
log "Tomcat $TOMCAT_VERSION answers"

# Tomcat warns, and otherwise ignores, an attribute it does not know: catches typos and version differences in
# server.xml and context.xml (the DataSource factory warns about properties it does not know, too).
config_accepted() {
    ! grep -E 'failed to set property|did not find a matching property|[Uu]nknown property|Ignoring unknown' "$BASE/logs/catalina.out"
}
# The development tomcat-users.xml has a demo admin (estadmin/estadminpwd): it must really log in.
admin_demo_login() {
    local code
    code=$(http admin-demo -u estadmin:estadminpwd "https://localhost:$PORT/api/summary")
    expect_status admin-demo 200 "$code"
}
if grep -q 'username="estadmin"' "$BASE/conf/tomcat-users.xml"; then
    check "demo admin estadmin logs in: GET /api/summary 200" admin_demo_login
fi
check "Tomcat set every server.xml / context.xml attribute (no 'failed to set property')" config_accepted
check "context.xml est.config -> conf/est.properties read: GET iqe/cacerts is 200 raw DER PKCS#7" iqe_label_der
[[ $DEPLOY == manager ]] && check "manager: /manager/text/list shows / running" manager_lists_root
run_est_checks
[[ $STRONGSWAN == yes ]] && run_strongswan_checks

# The access log's time column is in milliseconds: never more than the client measured for the same request (with
# %D, microseconds since Tomcat 10, it was about a thousand times more). The valve buffers: wait for its flush.
access_log_ms() {
    local probe=/.well-known/est/access-log-probe-$RANDOM total logged
    total=$(curl -s -o /dev/null --max-time 10 --cacert "$CA" -w '%{time_total}' "https://localhost:$PORT$probe") || return 1
    for _ in $(seq 1 60); do
        logged=$(grep -h "GET $probe " "$BASE"/logs/est_access.*.log 2>/dev/null | tail -n 1)
        [[ -n $logged ]] && break
        sleep 0.5
    done
    [[ $logged =~ \ ([0-9]+)ms$ ]] || { echo "no '<n>ms' at the end of the access log line for $probe: '$logged'"; return 1; }
    awk -v ms="${BASH_REMATCH[1]}" -v s="$total" 'BEGIN { exit !(ms <= s * 1000 + 1) }' ||
        { echo "logged ${BASH_REMATCH[1]} ms, but the client measured ${total} s: '$logged'"; return 1; }
}
check "access log: the time taken is in milliseconds (not more than the client measured)" access_log_ms

# ---------------------------------------------------------------------------------------------------------------
# Where the data went

pg_datasource_used() {
    grep -q 'Registry database ready: JNDI java:comp/env/jdbc/est' "$BASE/logs/catalina.out" ||
        { echo "catalina.out has no 'Registry database ready: JNDI java:comp/env/jdbc/est'"; grep 'Registry database ready' "$BASE/logs/catalina.out"; return 1; }
    [[ ! -e $HOME_DIR/db ]] || { echo "an embedded database was created too: $(ls "$HOME_DIR/db")"; return 1; }
}
pg_rows() {
    local n
    n=$(psql_as -d "$PG_DB" -tA -c "SELECT count(*) FROM certificate WHERE subject LIKE '%CN=smoke-dev1%'") || return 1
    ((n >= 2)) || { echo "expected >= 2 certificate rows for CN=smoke-dev1 (enroll + re-enroll) in $PG_DB, found $n"; return 1; }
    n=$(psql_as -d "$PG_DB" -tA -c "SELECT count(*) FROM device WHERE subject LIKE '%CN=smoke-dev1%'") || return 1
    ((n == 1)) || { echo "expected 1 device row for CN=smoke-dev1, found $n"; return 1; }
}
hsqldb_used() {
    grep -q 'Registry database ready: jdbc:hsqldb:file:' "$BASE/logs/catalina.out" ||
        { echo "no 'Registry database ready: jdbc:hsqldb:file:' in catalina.out"; return 1; }
    compgen -G "$HOME_DIR/db/est.*" >/dev/null || { echo "no $HOME_DIR/db/est.* files"; return 1; }
}
if [[ $DB == postgres ]]; then
    check "PostgreSQL: the webapp uses the JNDI DataSource jdbc/est, no embedded database" pg_datasource_used
    check "PostgreSQL: psql finds the certificate and device rows in $PG_DB" pg_rows
else
    check "embedded HSQLDB in the EST data directory (no JNDI DataSource)" hsqldb_used
fi

# An upgrade through the manager: the same WAR again with update=true; the context.xml and the data must survive.
reenroll_after_upgrade() {
    [[ -s $T/dev1-rekey.crt ]] || { echo "no certificate from the earlier simplereenroll"; return 1; }
    new_csr dev1-third /CN=smoke-dev1
    local code
    code=$(http reenroll-3 --cert "$T/dev1-rekey.crt" --key "$T/dev1-rekey.key" -H 'Content-Type: application/pkcs10' \
        --data-binary "@$T/dev1-third.csr.b64" "$BASE_URL/simplereenroll")
    expect_status reenroll-3 200 "$code"
}
context_kept() {
    [[ -s $BASE/conf/Catalina/localhost/ROOT.xml ]] || { echo "conf/Catalina/localhost/ROOT.xml is gone"; return 1; }
}
if [[ $DEPLOY == manager ]]; then
    check "manager upgrade: deploy the WAR again with update=true: OK" manager_deploy mgr-redeploy
    wait_for "$BASE_URL/cacerts"
    check "manager upgrade: conf/Catalina/localhost/ROOT.xml is still there" context_kept
    check "manager upgrade: est.config still applied (iqe label answers DER)" iqe_label_der
    check "manager upgrade: data kept, the device re-enrolls with the certificate issued before the upgrade" reenroll_after_upgrade
fi

stop_tomcat
# A clean stop (and, with the manager, a clean redeploy): Tomcat names every thread the webapp started and left running.
no_leaked_threads() {
    ! grep -E 'appears to have started a thread named .* but has failed to stop it' "$BASE/logs/catalina.out"
}
check "clean stop: the webapp left no thread of its own running (catalina.out)" no_leaked_threads
if ((FAILED > 0)); then
    log "logs: $BASE/logs (last lines of catalina.out follow)"
    tail -n 40 "$BASE/logs/catalina.out" || true
fi
log "done, Tomcat $TOMCAT_VERSION ($DEPLOY, $DB) stopped"
summary tomcat-smoke
((FAILED == 0)) || exit 1
