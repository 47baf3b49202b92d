#!/usr/bin/env bash
# Smoke test of the built WAR on a real Apache Tomcat with tomcat-conf/server.xml and tomcat-users.xml.
#
# Usage: .ci/tomcat-smoke.sh PORT          (run `mvn package` first: needs target/est.war)
#   TOMCAT_VERSION  Tomcat distribution from Maven Central (org.apache.tomcat:tomcat:VERSION:tar.gz),
#                   default 11.0.24; 10.1.59 also works.
#   MVN             Maven command, default mvn.  MVN_ARGS  extra Maven arguments, e.g. "-o".
#
# Builds a fresh CATALINA_HOME + CATALINA_BASE and a fresh EST data directory under
# target/tomcat-smoke/VERSION/ (kept after the run for its logs), runs `EstAdmin dev-setup` from the WAR's own classes
# and libraries (so it matches the code under test even while target/classes is being rebuilt), deploys the WAR as ROOT,
# starts Tomcat on 127.0.0.1:PORT, checks the EST endpoints with curl + openssl and always stops Tomcat again.
# Prints one PASS/FAIL line per check and a summary "tomcat-smoke: N passed, M failed"; exits 1 if any check failed
# (including "Tomcat/the webapp did not start") and 2 if the test could not be set up (bad arguments, port in use,
# Maven could not resolve Tomcat, dev-setup failed).
set -euo pipefail

PORT=${1:-}
if [[ ! $PORT =~ ^[0-9]+$ ]]; then
    echo "usage: $0 PORT   (env TOMCAT_VERSION, default 11.0.24)" >&2
    exit 2
fi
TOMCAT_VERSION=${TOMCAT_VERSION:-11.0.24}
MVN=${MVN:-mvn}
read -r -a MVN_EXTRA <<<"${MVN_ARGS:-}"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/target/tomcat-smoke/$TOMCAT_VERSION
HOME_DIR=$WORK/est-home             # est.home
BASE=$WORK/base                     # CATALINA_BASE
T=$WORK/t                           # requests, responses, keys
PIDFILE=$WORK/tomcat.pid
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
START=$SECONDS

log() { echo "tomcat-smoke: [$((SECONDS - START)) s] $*"; }
die() { log "ERROR: $*" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------------------------
# Set-up
[[ -f $ROOT/target/est.war ]] || die "target/est.war missing: run 'mvn package' first"
for tool in curl openssl tar base64; do command -v "$tool" >/dev/null || die "$tool not found"; done
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "something already listens on 127.0.0.1:$PORT; choose another port"
fi

rm -rf "$WORK"
mkdir -p "$WORK" "$HOME_DIR" "$T"

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
trap stop_tomcat EXIT
trap 'exit 130' INT TERM

# A snapshot of the WAR: deployed as ROOT.war, and its WEB-INF/classes + WEB-INF/lib are EstAdmin's classpath.
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

mkdir -p "$BASE"/{conf,logs,temp,webapps,work}
cp "$TC_HOME"/conf/{web.xml,context.xml,logging.properties,catalina.properties} "$BASE/conf/"
cp "$ROOT"/tomcat-conf/{server.xml,tomcat-users.xml} "$BASE/conf/"
cp "$WORK/est.war" "$BASE/webapps/ROOT.war"

# Hermetic: no EST_* settings (EST_HOME, EST_CONFIG, EST_<KEY>) from the caller's environment leak into the server.
while read -r var; do unset "$var"; done < <(compgen -e | grep '^EST_' || true)

log "starting Tomcat $TOMCAT_VERSION on 127.0.0.1:$PORT"
CATALINA_HOME=$TC_HOME CATALINA_BASE=$BASE CATALINA_PID=$PIDFILE CATALINA_TMPDIR=$BASE/temp \
    CATALINA_OPTS="-Dest.home=$HOME_DIR -Dest.port=$PORT -Dest.address=127.0.0.1" \
    "$TC_HOME/bin/catalina.sh" start >"$WORK/catalina-start.log" 2>&1 || die "catalina.sh start failed"

BASE_URL=https://localhost:$PORT/.well-known/est
# start_failed REASON : the server under test did not come up; that is a test failure, not a set-up error.
start_failed() {
    echo "FAIL  Tomcat $TOMCAT_VERSION starts and GET cacerts answers 200 within 60 s: $1"
    echo "----- $BASE/logs/catalina.out (errors) -----"
    { grep -E 'FATAL|SEVERE|ERROR|^Caused by|^[A-Za-z0-9_.$]+(Exception|Error)\b' "$BASE/logs/catalina.out" ||
        tail -n 40 "$BASE/logs/catalina.out"; } 2>/dev/null | head -n 40 || true
    echo "-----"
    echo "tomcat-smoke: 0 passed, 1 failed"
    exit 1
}
deadline=$((SECONDS + 60))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$CA" "$BASE_URL/cacerts" || true) == 200 ]]; do
    if [[ ! -s $PIDFILE ]] || ! kill -0 "$(<"$PIDFILE")" 2>/dev/null; then
        start_failed "Tomcat exited during start-up"
    fi
    if grep -q 'startup failed due to previous errors' "$BASE/logs/catalina.out" 2>/dev/null; then
        start_failed "the EST webapp failed to deploy (Context [] startup failed)"
    fi
    if ((SECONDS >= deadline)); then
        start_failed "no 200 from $BASE_URL/cacerts within 60 s"
    fi
    sleep 0.25
done
log "Tomcat $TOMCAT_VERSION answers"

# ---------------------------------------------------------------------------------------------------------------
# Helpers

# http NAME CURL-ARGS... : one request; body in $T/NAME.body, headers in $T/NAME.hdr; prints the status (000 = no answer).
http() {
    local name=$1
    shift
    curl -sS --max-time 20 --cacert "$CA" -o "$T/$name.body" -D "$T/$name.hdr" -w '%{http_code}' "$@" 2>"$T/$name.err" || true
}
# header NAME FIELD : value of the last FIELD header of response NAME.
header() { { grep -i "^$2:" "$T/$1.hdr" || true; } | tail -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }
# describe NAME : short description of a response for a FAIL line.
describe() { echo "$(head -n 1 "$T/$1.hdr" 2>/dev/null | tr -d '\r') | $(head -c 300 "$T/$1.body" 2>/dev/null | tr '\r\n' '  ')$(cat "$T/$1.err" 2>/dev/null)"; }
# expect_status NAME CODE ACTUAL
expect_status() { [[ $3 == "$2" ]] || { echo "expected $2, got $3: $(describe "$1")"; return 1; }; }
b64d() { tr -d ' \r\n' | base64 -d; }
# certs_of NAME : the certificates of the base64 PKCS#7 in response NAME, as PEM on stdout.
certs_of() { b64d <"$T/$1.body" | openssl pkcs7 -inform DER -print_certs 2>&1 | sed -n '/BEGIN CERT/,/END CERT/p'; }
# one_line < PEM : each PEM certificate as one base64 line.
one_line() { awk '/BEGIN CERT/{s="";next} /END CERT/{print s;next} {s=s $0}'; }
# new_csr NAME SUBJECT : EC P-256 key $T/NAME.key and base64 DER CSR $T/NAME.csr.b64
new_csr() {
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/$1.key" -subj "$2" \
        -outform DER 2>/dev/null | base64 >"$T/$1.csr.b64"
}
pkcs7_type() { local ct; ct=$(header "$1" Content-Type); [[ ${ct,,} == application/pkcs7-mime* ]] || { echo "Content-Type '$ct'"; return 1; }; }

PASSED=0
FAILED=0
check() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then
        PASSED=$((PASSED + 1))
        echo "PASS  $name"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL  $name: ${out:-failed}"
    fi
}

# ---------------------------------------------------------------------------------------------------------------
# Checks

# Tomcat warns, and otherwise ignores, an attribute it does not know: catches typos and version differences in server.xml.
config_accepted() {
    ! grep -E 'failed to set property|did not find a matching property' "$BASE/logs/catalina.out"
}

cacerts() {
    local code
    code=$(http cacerts "$BASE_URL/cacerts")
    expect_status cacerts 200 "$code" || return 1
    pkcs7_type cacerts || return 1
    certs_of cacerts >"$T/cacerts.pem"
    grep -q 'BEGIN CERT' "$T/cacerts.pem" || { echo "body is not a base64 PKCS#7 with certificates: $(describe cacerts)"; return 1; }
    openssl x509 -in "$CA" | one_line >"$T/ca.line"
    one_line <"$T/cacerts.pem" | grep -qxFf "$T/ca.line" || { echo "ca.pem is not among the returned certificates"; return 1; }
}

enroll() {
    local code
    code=$(http enroll -u estuser:estpwd -H 'Content-Type: application/pkcs10' --data-binary "@$T/dev1.csr.b64" "$BASE_URL/simpleenroll")
    expect_status enroll 200 "$code" || return 1
    pkcs7_type enroll || return 1
    certs_of enroll | awk '/BEGIN CERT/{n++} n==1' >"$T/dev1.crt"
    openssl x509 -in "$T/dev1.crt" -noout 2>/dev/null || { echo "no certificate in the response: $(describe enroll)"; return 1; }
}

enroll_key_matches() {
    [[ -s $T/dev1.crt ]] || { echo "no certificate from simpleenroll"; return 1; }
    diff <(openssl pkey -in "$T/dev1.key" -pubout) <(openssl x509 -in "$T/dev1.crt" -noout -pubkey | openssl pkey -pubin -pubout) >/dev/null ||
        { echo "the certificate's public key is not the CSR's"; return 1; }
    local subject
    subject=$(openssl x509 -in "$T/dev1.crt" -noout -subject -nameopt RFC2253)
    [[ $subject == "subject=CN=smoke-dev1" ]] || { echo "unexpected $subject"; return 1; }
}

enroll_verifies() {
    [[ -s $T/dev1.crt ]] || { echo "no certificate from simpleenroll"; return 1; }
    openssl verify -CAfile "$CA" "$T/dev1.crt"
}

no_credentials() {
    local code www
    code=$(http nocreds -H 'Content-Type: application/pkcs10' --data-binary "@$T/dev1.csr.b64" "$BASE_URL/simpleenroll")
    expect_status nocreds 401 "$code" || return 1
    www=$(header nocreds WWW-Authenticate)
    [[ ${www,,} == basic* ]] || { echo "WWW-Authenticate is '$www'"; return 1; }
}

wrong_password() {
    local code
    code=$(http wrongpw -u estuser:not-the-password -H 'Content-Type: application/pkcs10' --data-binary "@$T/dev1.csr.b64" "$BASE_URL/simpleenroll")
    expect_status wrongpw 401 "$code"
}

reenroll_same_subject() {
    [[ -s $T/dev1.crt ]] || { echo "no certificate from simpleenroll"; return 1; }
    local code old new
    code=$(http reenroll --cert "$T/dev1.crt" --key "$T/dev1.key" -H 'Content-Type: application/pkcs10' \
        --data-binary "@$T/dev1-rekey.csr.b64" "$BASE_URL/simplereenroll")
    expect_status reenroll 200 "$code" || return 1
    pkcs7_type reenroll || return 1
    certs_of reenroll | awk '/BEGIN CERT/{n++} n==1' >"$T/dev1-rekey.crt"
    old=$(openssl x509 -in "$T/dev1.crt" -noout -serial)
    new=$(openssl x509 -in "$T/dev1-rekey.crt" -noout -serial 2>/dev/null) || { echo "no certificate in the response"; return 1; }
    [[ $old != "$new" ]] || { echo "same serial as the first certificate ($new)"; return 1; }
    diff <(openssl pkey -in "$T/dev1-rekey.key" -pubout) <(openssl x509 -in "$T/dev1-rekey.crt" -noout -pubkey | openssl pkey -pubin -pubout) >/dev/null ||
        { echo "the new certificate's public key is not the CSR's"; return 1; }
}

reenroll_other_subject() {
    [[ -s $T/dev1.crt ]] || { echo "no certificate from simpleenroll"; return 1; }
    local code
    code=$(http reenroll-other --cert "$T/dev1.crt" --key "$T/dev1.key" -H 'Content-Type: application/pkcs10' \
        --data-binary "@$T/other.csr.b64" "$BASE_URL/simplereenroll")
    expect_status reenroll-other 403 "$code"
}

get_enroll() {
    local code allow
    code=$(http get-enroll "$BASE_URL/simpleenroll")
    expect_status get-enroll 405 "$code" || return 1
    allow=$(header get-enroll Allow)
    [[ ${allow^^} == *POST* ]] || { echo "Allow is '$allow'"; return 1; }
}

wrong_content_type() {
    local code
    code=$(http wrong-ct -u estuser:estpwd -H 'Content-Type: application/json' --data-binary "@$T/dev1.csr.b64" "$BASE_URL/simpleenroll")
    expect_status wrong-ct 415 "$code"
}

# The admin dashboard is behind the est-admin constraint (tomcat-users.xml has no admin user: only the refusals here).
admin_needs_login() {
    local code www
    code=$(http admin-anon "https://localhost:$PORT/admin/")
    expect_status admin-anon 401 "$code" || return 1
    www=$(header admin-anon WWW-Authenticate)
    [[ ${www,,} == basic* ]] || { echo "WWW-Authenticate is '$www'"; return 1; }
}
admin_needs_role() {
    local code
    code=$(http admin-user -u estuser:estpwd "https://localhost:$PORT/admin/app.js")
    expect_status admin-user 403 "$code"
}

# tls_handshake NAME ARGS... : succeeds if `openssl s_client ARGS` completes a handshake; its output is in $T/NAME.tls
tls_handshake() {
    local name=$1
    shift
    timeout 15 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -CAfile "$CA" "$@" </dev/null >"$T/$name.tls" 2>&1
}
# refused_by_server NAME : the failed handshake ended with an alert from the server (not a client-side limitation).
refused_by_server() {
    grep -qiE 'alert (protocol version|handshake failure|insufficient security)' "$T/$1.tls" ||
        { echo "inconclusive, no refusal alert from the server: $(grep -m1 -iE 'error|alert' "$T/$1.tls")"; return 1; }
}
tls11_refused() {
    if tls_handshake tls11 -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'; then
        echo "TLS 1.1 handshake succeeded: $(grep -m1 'Cipher is' "$T/tls11.tls")"
        return 1
    fi
    refused_by_server tls11
}
tls12_weak_refused() {
    if tls_handshake tls12-weak -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA:AES128-GCM-SHA256:AES256-SHA256:@SECLEVEL=0'; then
        echo "handshake with a CBC / static-RSA suite succeeded: $(grep -m1 'Cipher is' "$T/tls12-weak.tls")"
        return 1
    fi
    refused_by_server tls12-weak
}
tls12_aead_ok() {
    tls_handshake tls12 -tls1_2 -cipher 'ECDHE-ECDSA-AES128-GCM-SHA256' || { grep -m1 -iE 'error|alert' "$T/tls12.tls"; return 1; }
}
tls13_ok() {
    tls_handshake tls13 -tls1_3 || { grep -m1 -iE 'error|alert' "$T/tls13.tls"; return 1; }
}

new_csr dev1 /CN=smoke-dev1
new_csr dev1-rekey /CN=smoke-dev1
new_csr other /CN=smoke-someone-else

check "Tomcat set every server.xml attribute (no 'failed to set property')" config_accepted
check "GET cacerts: 200 application/pkcs7-mime, PKCS#7 holding ca.pem" cacerts
check "simpleenroll as estuser: 200 application/pkcs7-mime with a certificate" enroll
check "simpleenroll: certificate has the CSR's public key and subject" enroll_key_matches
check "simpleenroll: certificate verifies against ca.pem" enroll_verifies
check "simpleenroll without credentials: 401 with WWW-Authenticate: Basic" no_credentials
check "simpleenroll with a wrong password: 401" wrong_password
check "simplereenroll with the client certificate, same subject: 200, new serial" reenroll_same_subject
check "simplereenroll with the client certificate, other subject: 403" reenroll_other_subject
check "GET simpleenroll: 405 with Allow: POST" get_enroll
check "simpleenroll with Content-Type application/json: 415" wrong_content_type
check "GET /admin/ without credentials: 401 with WWW-Authenticate: Basic" admin_needs_login
check "GET /admin/app.js as estuser (no est-admin role): 403" admin_needs_role
check "TLS 1.1 refused (server alert)" tls11_refused
check "TLS 1.2 with only CBC / static-RSA suites refused" tls12_weak_refused
check "TLS 1.2 ECDHE-ECDSA-AES128-GCM accepted" tls12_aead_ok
check "TLS 1.3 accepted" tls13_ok

stop_tomcat
if ((FAILED > 0)); then
    log "logs: $BASE/logs (last lines of catalina.out follow)"
    tail -n 40 "$BASE/logs/catalina.out" || true
fi
log "done, Tomcat $TOMCAT_VERSION stopped"
echo "tomcat-smoke: $PASSED passed, $FAILED failed"
((FAILED == 0)) || exit 1
