#!/usr/bin/env bash
# Smoke test of the built WAR on WildFly 39 set up with wildfly-conf/est.cli, driven by the same curl + openssl
# checks as the Tomcat smoke test (.ci/lib/checks.sh).
#
# Usage: .ci/wildfly-smoke.sh PORT         (run `mvn package` first: needs target/est.war)
#   PORT                 the HTTPS (EST) port on 127.0.0.1. The other ports WildFly opens (plain HTTP socket
#                        binding, management, transaction recovery) are picked free by this script.
#   WILDFLY_VERSION      org.wildfly:wildfly-dist:VERSION:zip, default 39.0.1.Final (261 MB; resolved through Maven
#                        into ~/.m2 on first use)
#   EST_SMOKE_STRONGSWAN auto (default) | yes | no, as in .ci/tomcat-smoke.sh
#   MVN, MVN_ARGS        as in .ci/tomcat-smoke.sh
#
# Unpacks WildFly under target/wildfly-smoke/ (kept for its logs), creates the dev PKI with the WAR's own EstAdmin,
# applies wildfly-conf/est.cli offline (plus free ports for this run), adds estuser/estpwd (role est-client) with
# add-user.sh, drops est.war into standalone/deployments as ROOT.war (deployment scanner), starts WildFly with
# -Dest.home, -Dest.config (tomcat-conf/est.properties) and runs the checks; always stops WildFly.
# Prints "wildfly-smoke: N passed, M failed"; exit 1 on a failed check, 2 if the test could not be set up.
set -euo pipefail

PORT=${1:-}
if [[ ! $PORT =~ ^[0-9]+$ ]]; then
    echo "usage: $0 PORT   (env WILDFLY_VERSION, default 39.0.1.Final)" >&2
    exit 2
fi
WILDFLY_VERSION=${WILDFLY_VERSION:-39.0.1.Final}
STRONGSWAN=${EST_SMOKE_STRONGSWAN:-auto}
MVN=${MVN:-mvn}
read -r -a MVN_EXTRA <<<"${MVN_ARGS:-}"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/target/wildfly-smoke
HOME_DIR=$WORK/est-home
T=$WORK/t
PIDFILE=$WORK/wildfly.pid
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
START=$SECONDS

log() { echo "wildfly-smoke: [$((SECONDS - START)) s] $*"; }
die() { log "ERROR: $*" >&2; exit 2; }

# shellcheck source=.ci/lib/checks.sh
source "$ROOT/.ci/lib/checks.sh"

[[ -f $ROOT/target/est.war ]] || die "target/est.war missing: run 'mvn package' first"
for tool in curl openssl unzip base64 python3; do command -v "$tool" >/dev/null || die "$tool not found"; done
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
listening "$PORT" && die "something already listens on 127.0.0.1:$PORT; choose another port"
case $STRONGSWAN in
    auto) command -v pki >/dev/null && STRONGSWAN=yes || STRONGSWAN=no ;;
    yes) command -v pki >/dev/null || die "EST_SMOKE_STRONGSWAN=yes but strongSwan's pki is not installed" ;;
    no) ;;
    *) die "EST_SMOKE_STRONGSWAN must be auto, yes or no" ;;
esac
# Free ports for everything else WildFly binds (never fixed numbers: CI machines are shared).
free_ports() {
    python3 -c 'import socket,sys
socks=[socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1",0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()' "$1"
}
read -r HTTP_PORT MGMT_PORT TXN_PORT TXN_STATUS_PORT < <(free_ports 4)

rm -rf "$WORK"
mkdir -p "$WORK" "$HOME_DIR" "$T"

stop_wildfly() {
    [[ -s $PIDFILE ]] || return 0
    local pid
    pid=$(<"$PIDFILE")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true        # graceful shutdown
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            log "WildFly (pid $pid) did not stop within 15 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$PIDFILE"
}
trap stop_wildfly EXIT
trap 'exit 130' INT TERM

cp "$ROOT/target/est.war" "$WORK/est.war"
mkdir -p "$WORK/war"
unzip -q "$WORK/est.war" 'WEB-INF/classes/*' 'WEB-INF/lib/*' -d "$WORK/war"

ZIP=$HOME/.m2/repository/org/wildfly/wildfly-dist/$WILDFLY_VERSION/wildfly-dist-$WILDFLY_VERSION.zip
if [[ ! -s $ZIP ]]; then
    log "resolving org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip with Maven (261 MB, first time only)"
    (cd "$ROOT" && "$MVN" -q -B "${MVN_EXTRA[@]}" dependency:get -Dtransitive=false \
        -Dartifact="org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip") >"$WORK/mvn.log" 2>&1 ||
        { cat "$WORK/mvn.log" >&2; die "Maven could not resolve org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip"; }
    [[ -s $ZIP ]] || die "Maven resolved WildFly but $ZIP is missing (non-default local repository?)"
fi
unzip -q "$ZIP" -d "$WORK"
WF=$WORK/wildfly-$WILDFLY_VERSION
[[ -x $WF/bin/standalone.sh ]] || die "unexpected layout of wildfly-dist-$WILDFLY_VERSION.zip"
log "WildFly $WILDFLY_VERSION unpacked"

"$JAVA" -cp "$WORK/war/WEB-INF/classes:$WORK/war/WEB-INF/lib/*" org.openest.est.cli.EstAdmin \
    dev-setup --home "$HOME_DIR" >"$WORK/dev-setup.log" 2>&1 || { cat "$WORK/dev-setup.log" >&2; die "EstAdmin dev-setup failed"; }
CA=$HOME_DIR/ca.pem
cp "$ROOT/tomcat-conf/est.properties" "$WORK/est.properties"

# wildfly-conf/est.cli as shipped, plus this run's free ports for the bindings that have no port property.
{
    sed '/^stop-embedded-server/d' "$ROOT/wildfly-conf/est.cli"
    echo "/socket-binding-group=standard-sockets/socket-binding=txn-recovery-environment:write-attribute(name=port, value=$TXN_PORT)"
    echo "/socket-binding-group=standard-sockets/socket-binding=txn-status-manager:write-attribute(name=port, value=$TXN_STATUS_PORT)"
    echo "stop-embedded-server"
} >"$WORK/smoke.cli"
grep -q '^run-batch' "$WORK/smoke.cli" || die "wildfly-conf/est.cli has no run-batch"
JBOSS_HOME=$WF "$WF/bin/jboss-cli.sh" --file="$WORK/smoke.cli" >"$WORK/cli.log" 2>&1 ||
    { cat "$WORK/cli.log" >&2; die "jboss-cli.sh --file=est.cli failed"; }
grep -q 'The batch executed successfully' "$WORK/cli.log" || { cat "$WORK/cli.log" >&2; die "the est.cli batch did not run"; }
log "est.cli applied"

JBOSS_HOME=$WF "$WF/bin/add-user.sh" -a -u estuser -p estpwd -g est-client -s >"$WORK/add-user.log" 2>&1 ||
    { cat "$WORK/add-user.log" >&2; die "add-user.sh failed"; }

cp "$WORK/est.war" "$WF/standalone/deployments/ROOT.war"

while read -r var; do unset "$var"; done < <(compgen -e | grep '^EST_' || true)

log "starting WildFly $WILDFLY_VERSION: https 127.0.0.1:$PORT (plain http binding $HTTP_PORT, management $MGMT_PORT)"
JBOSS_HOME=$WF JBOSS_PIDFILE=$PIDFILE LAUNCH_JBOSS_IN_BACKGROUND=1 \
    nohup "$WF/bin/standalone.sh" -b 127.0.0.1 -bmanagement 127.0.0.1 \
    -Djboss.https.port="$PORT" -Djboss.http.port="$HTTP_PORT" -Djboss.management.http.port="$MGMT_PORT" \
    -Dest.home="$HOME_DIR" -Dest.config="$WORK/est.properties" >"$WORK/server.out" 2>&1 &

BASE_URL=https://localhost:$PORT/.well-known/est
start_failed() {
    echo "FAIL  WildFly $WILDFLY_VERSION starts and GET cacerts answers 200 within 120 s: $1"
    echo "----- $WORK/server.out (errors) -----"
    { grep -E 'ERROR|FATAL|^Caused by' "$WORK/server.out" || tail -n 40 "$WORK/server.out"; } 2>/dev/null | head -n 40 || true
    echo "-----"
    FAILED=$((FAILED + 1))
    summary wildfly-smoke
    exit 1
}
deadline=$((SECONDS + 120))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$CA" "$BASE_URL/cacerts" || true) == 200 ]]; do
    sleep 0.5
    [[ -s $PIDFILE ]] && ! kill -0 "$(<"$PIDFILE")" 2>/dev/null && start_failed "WildFly exited during start-up"
    [[ -e $WF/standalone/deployments/ROOT.war.failed ]] && start_failed "ROOT.war failed to deploy: $(head -c 400 "$WF/standalone/deployments/ROOT.war.failed")"
    ((SECONDS < deadline)) || start_failed "no 200 from $BASE_URL/cacerts within 120 s"
done
log "WildFly answers ($(grep -o 'started in [0-9]*ms' "$WORK/server.out" | head -n 1))"

# ---------------------------------------------------------------------------------------------------------------
no_plain_http_listener() {   # the plain HTTP socket binding exists, but nothing may listen on it
    local code
    if listening "$HTTP_PORT"; then
        code=$(curl -s -o "$T/plain.body" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$HTTP_PORT/.well-known/est/cacerts" || true)
        echo "something listens on the plain HTTP port $HTTP_PORT (GET cacerts: $code)"
        return 1
    fi
}
no_http_on_tls_port() {      # plain HTTP spoken to the TLS port gets no EST content
    local code
    code=$(curl -s -o "$T/plain-tls.body" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/.well-known/est/cacerts" || true)
    [[ $code != 200 ]] || { echo "plain HTTP on the TLS port answered 200"; return 1; }
    ! grep -qa 'MII' "$T/plain-tls.body" 2>/dev/null || { echo "plain HTTP on the TLS port returned certificates"; return 1; }
}
stale_basic_on_cacerts() {   # proactive authentication is off: a wrong Basic header does not break anonymous cacerts
    local code
    code=$(http stale-basic -u estuser:not-the-password "$BASE_URL/cacerts")
    expect_status stale-basic 200 "$code"
}
tls_config_applied() {       # the https listener uses estSSC (our server certificate, not WildFly's self-signed one)
    grep -q 'subject=CN *= *localhost' "$T/tls13.tls" || grep -q 'subject=CN = localhost' "$T/tls13.tls" ||
        { echo "unexpected server certificate: $(grep -m1 '^subject=' "$T/tls13.tls")"; return 1; }
    openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -CAfile "$CA" -verify_return_error </dev/null >"$T/verify.tls" 2>&1 ||
        { echo "the server certificate does not verify against ca.pem: $(grep -m1 -i 'verify' "$T/verify.tls")"; return 1; }
}

check "est.properties read (-Dest.config): GET iqe/cacerts is 200 raw DER PKCS#7" iqe_label_der
run_est_checks
check "server certificate is the EST one (estSSC) and verifies against ca.pem" tls_config_applied
check "no plain HTTP listener: nothing listens on the http socket binding ($HTTP_PORT)" no_plain_http_listener
check "plain HTTP to the TLS port gets no EST answer" no_http_on_tls_port
check "proactive authentication off: GET cacerts with a wrong Basic header is still 200" stale_basic_on_cacerts
[[ $STRONGSWAN == yes ]] && run_strongswan_checks

stop_wildfly
if ((FAILED > 0)); then
    log "logs: $WORK/server.out, $WF/standalone/log/server.log (last lines follow)"
    tail -n 40 "$WORK/server.out" || true
fi
log "done, WildFly $WILDFLY_VERSION stopped"
summary wildfly-smoke
((FAILED == 0)) || exit 1
