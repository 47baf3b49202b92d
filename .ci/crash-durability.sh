#!/usr/bin/env bash
# Crash durability on real Tomcat: kill -9 the server in the middle of a 200-client enrollment burst, restart it,
# and show that every certificate any client received is in the registry (the restarted server's OCSP responder
# knows it), that the database opens cleanly, and that no serial was issued twice.
#
# Usage: .ci/crash-durability.sh PORT     (needs target/est.war and target/test-classes: run `mvn verify` first)
# Prints PASS/FAIL lines and "crash-durability: N passed, M failed"; exit 1 on failure, 2 on set-up errors.
set -euo pipefail
PORT=${1:?usage: crash-durability.sh PORT}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOMCAT_VERSION=${TOMCAT_VERSION:-11.0.24}
WORK=$ROOT/target/crash-durability
HOME_DIR=$WORK/est-home
BASE=$WORK/base
PIDFILE=$WORK/tomcat.pid
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
START=$SECONDS
log() { echo "crash-durability: [$((SECONDS - START)) s] $*"; }
die() { log "ERROR: $*" >&2; exit 2; }

[[ -f $ROOT/target/est.war && -d $ROOT/target/test-classes ]] || die "run 'mvn verify' first"
rm -rf "$WORK" && mkdir -p "$WORK/war" "$BASE"/{conf,logs,temp,webapps,work}
cp "$ROOT/target/est.war" "$WORK/est.war"
(cd "$WORK/war" && "${JAVA_HOME:+$JAVA_HOME/bin/}jar" xf "$WORK/est.war" WEB-INF/classes WEB-INF/lib)
TARBALL=$HOME/.m2/repository/org/apache/tomcat/tomcat/$TOMCAT_VERSION/tomcat-$TOMCAT_VERSION.tar.gz
[[ -s $TARBALL ]] || (cd "$ROOT" && mvn -q -B dependency:get -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz") \
    || die "cannot resolve Tomcat $TOMCAT_VERSION"
tar -xzf "$TARBALL" -C "$WORK"
TC_HOME=$WORK/apache-tomcat-$TOMCAT_VERSION
"$JAVA" -cp "$WORK/war/WEB-INF/classes:$WORK/war/WEB-INF/lib/*" org.openest.est.cli.EstAdmin dev-setup \
    --home "$HOME_DIR" >"$WORK/dev-setup.log" 2>&1 || die "dev-setup failed"
# The burst authenticates as an RA (client certificate): 200 Basic logins would mostly measure PBKDF2.
printf 'burst-p12-pass\n' >"$WORK/ra.pw"
"$JAVA" -cp "$WORK/war/WEB-INF/classes:$WORK/war/WEB-INF/lib/*" org.openest.est.cli.EstAdmin ra issue \
    --ca-cert "$HOME_DIR/ca.pem" --ca-key "$HOME_DIR/ca-key.pem" --subject "CN=burst RA" --out "$WORK/ra" \
    --password-file "$WORK/ra.pw" >"$WORK/ra.log" 2>&1 || { cat "$WORK/ra.log" >&2; die "ra issue failed"; }
cp "$TC_HOME"/conf/{web.xml,context.xml,logging.properties,catalina.properties} "$BASE/conf/"
cp "$ROOT"/tomcat-conf/{server.xml,tomcat-users.xml} "$BASE/conf/"
cp "$WORK/est.war" "$BASE/webapps/ROOT.war"
(cd "$ROOT" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt") \
    || die "cannot build the test class path"
CP=$ROOT/target/test-classes:$ROOT/target/classes:$(<"$WORK/cp.txt")
while read -r var; do unset "$var"; done < <(compgen -e | grep '^EST_' || true)

start_tomcat() {
    CATALINA_HOME=$TC_HOME CATALINA_BASE=$BASE CATALINA_PID=$PIDFILE CATALINA_TMPDIR=$BASE/temp \
        CATALINA_OPTS="-Dest.home=$HOME_DIR -Dest.port=$PORT -Dest.address=127.0.0.1" \
        "$TC_HOME/bin/catalina.sh" start >>"$WORK/catalina-start.log" 2>&1 || die "catalina.sh start failed"
    local deadline=$((SECONDS + 90))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$HOME_DIR/ca.pem" \
        "https://localhost:$PORT/.well-known/est/cacerts" || true) == 200 ]]; do
        ((SECONDS < deadline)) || return 1
        sleep 0.25
    done
}
stop_tomcat() {
    [[ -s $PIDFILE ]] || return 0
    local pid; pid=$(<"$PIDFILE")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$PIDFILE"
}
trap stop_tomcat EXIT

passed=0; failed=0
pass() { echo "PASS  $*"; passed=$((passed + 1)); }
fail() { echo "FAIL  $*"; failed=$((failed + 1)); }

log "starting Tomcat $TOMCAT_VERSION on 127.0.0.1:$PORT"
start_tomcat || die "Tomcat did not start"
pid=$(<"$PIDFILE")
log "burst of 200 enrollments; SIGKILL after 60 certificates"
if EST_BURST_P12_PASSWORD=burst-p12-pass "$JAVA" -cp "$CP" org.openest.est.tools.BurstClient burst \
    "https://localhost:$PORT" "$HOME_DIR/ca.pem" "$WORK/received.pem" 200 60 "$pid" "$WORK/ra/ra.p12"; then
    pass "200-client burst, server killed with SIGKILL mid-burst"
else
    fail "burst did not reach the kill point"
fi
sleep 0.5
# Never lose track of a server that is still alive (the burst may have failed before its kill point).
if kill -0 "$pid" 2>/dev/null && [[ $(ps -o stat= -p "$pid" 2>/dev/null | tr -d ' ') != Z* ]]; then
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
fi
# Gone or a zombie (killed, not yet reaped by its parent): either way it runs no more.
state=$(ps -o stat= -p "$pid" 2>/dev/null | tr -d ' ' || true)
if [[ -z $state || $state == Z* ]]; then pass "server process is dead"; else fail "server still running after SIGKILL ($state)"; fi
rm -f "$PIDFILE"
log "restarting Tomcat on the same data directory"
if start_tomcat; then
    pass "restarted server opens the database and answers"
    if grep -qiE 'FATAL|corrupt' "$BASE/logs/catalina.out"; then fail "errors in the log after restart"; else pass "no FATAL or corruption in the log"; fi
    out=$("$JAVA" -cp "$CP" org.openest.est.tools.BurstClient verify "https://localhost:$PORT" "$HOME_DIR/ca.pem" \
        "$WORK/received.pem") && rc=0 || rc=$?
    echo "$out"
    if [[ $rc == 0 ]]; then pass "every received certificate is recorded, no serial issued twice"; else fail "received certificates missing from the registry"; fi
else
    fail "server did not restart within 90 s"
    tail -n 40 "$BASE/logs/catalina.out" || true
fi
log "done"
echo "crash-durability: $passed passed, $failed failed"
((failed == 0))
