# shellcheck shell=bash
# Container-independent EST checks shared by .ci/tomcat-smoke.sh and .ci/wildfly-smoke.sh (sourced, not run).
#
# The caller sets, before calling any function:
#   T         scratch directory for requests, responses and keys
#   CA        the EST CA certificate (PEM) the server's TLS certificate chains to
#   PORT      the HTTPS port on 127.0.0.1
#   BASE_URL  https://localhost:$PORT/.well-known/est
# and then runs `run_est_checks` (the checks every container must pass) and, optionally, `run_strongswan_checks`.
# Each check prints one PASS/FAIL (or XFAIL) line; PASSED, FAILED and XFAILED count them.

PASSED=${PASSED:-0}
FAILED=${FAILED:-0}
XFAILED=${XFAILED:-0}
# summary NAME : the last line of a smoke test.
summary() {
    echo "$1: $PASSED passed, $FAILED failed$( ((XFAILED == 0)) || echo ", $XFAILED known client incompatibilities (XFAIL)")"
}

# check NAME FUNCTION [ARGS...] : run one check, print PASS/FAIL and count it.
check() {
    local name=$1 out
    shift
    local rc=0
    out=$("$@" 2>&1) || rc=$?
    if ((rc == 0)); then
        PASSED=$((PASSED + 1))
        echo "PASS  $name"
    elif ((rc == 3)); then      # a known, documented incompatibility of the client (see XFAILED)
        XFAILED=$((XFAILED + 1))
        echo "XFAIL $name: ${out:-known incompatibility}"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL  $name: ${out:-failed}"
    fi
}

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
# same_key KEY CERT : the certificate holds the private key's public key.
same_key() {
    diff <(openssl pkey -in "$1" -pubout) <(openssl x509 -in "$2" -noout -pubkey | openssl pkey -pubin -pubout) >/dev/null
}

# ---------------------------------------------------------------------------------------------------------------
# The EST checks (curl + openssl)

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
    same_key "$T/dev1.key" "$T/dev1.crt" || { echo "the certificate's public key is not the CSR's"; return 1; }
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
    same_key "$T/dev1-rekey.key" "$T/dev1-rekey.crt" || { echo "the new certificate's public key is not the CSR's"; return 1; }
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

# The admin dashboard is behind the est-admin constraint: no credentials -> 401, a user without the role -> 403.
admin_needs_login() {
    local code www
    code=$(http admin-anon "${BASE_URL%/.well-known/est}/admin/")
    expect_status admin-anon 401 "$code" || return 1
    www=$(header admin-anon WWW-Authenticate)
    [[ ${www,,} == basic* ]] || { echo "WWW-Authenticate is '$www'"; return 1; }
}
admin_needs_role() {
    local code
    code=$(http admin-user -u estuser:estpwd "${BASE_URL%/.well-known/est}/admin/app.js")
    expect_status admin-user 403 "$code"
}

# The sample tomcat-conf/est.properties was read: it defines the "iqe" label, whose answers are raw DER.
iqe_label_der() {
    local code
    code=$(http iqe-cacerts "$BASE_URL/iqe/cacerts")
    expect_status iqe-cacerts 200 "$code" || return 1
    [[ -z $(header iqe-cacerts Content-Transfer-Encoding) ]] || { echo "Content-Transfer-Encoding on a DER answer"; return 1; }
    openssl pkcs7 -inform DER -in "$T/iqe-cacerts.body" -print_certs -noout >/dev/null 2>&1 || { echo "not a DER PKCS#7: $(describe iqe-cacerts)"; return 1; }
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

# run_est_checks : the checks every deployment must pass (CONTAINER names the server in the check names).
run_est_checks() {
    new_csr dev1 /CN=smoke-dev1
    new_csr dev1-rekey /CN=smoke-dev1
    new_csr other /CN=smoke-someone-else

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
}

# ---------------------------------------------------------------------------------------------------------------
# An independent EST client: strongSwan's `pki --estca` / `pki --est` (Debian package strongswan-pki, 5.9.x, plus
# libstrongswan-standard-plugins and libstrongswan-extra-plugins for the openssl and curl plugins).
# pki appends /.well-known/est/<operation> to --url itself, so it cannot use labels. Output files go to $T/sw-*.
#
# KNOWN INCOMPATIBILITY (checked against strongSwan's source, src/pki/est/est_tls.c and chunk.c): pki decodes the
# response body with chunk_from_base64(), which does not skip line breaks, while this server wraps base64 at 64
# columns (CertsOnly.base64). pki then reports "could not parse ..." although the server answered 200 with the
# certificate. A check that ends exactly that way (strongSwan's debug log shows the server's "HTTP/1.1 200" and
# then the parse error) is reported as XFAIL, not FAIL, and counted in XFAILED; it turns into a PASS by itself
# once the server sends unwrapped base64.

XFAILED=${XFAILED:-0}
# sw_pki ARGS... : run pki with debug level 2 (HTTP status in the log); its log is appended to $T/sw.log
sw_pki() { local cmd=$1; shift; echo "=== pki $cmd $*" >>"$T/sw.log"; timeout 60 pki "$cmd" --debug 2 "$@" 2>>"$T/sw.log"; }
sw_tail() { grep -vE '^plugin|TPM|^ *[0-9]+: ' "$T/sw.log" | tail -n 3 | tr '\n' ' '; }
# sw_known_issue STEP : exit status 3 (XFAIL) if the last pki run got a 200 and failed only at decoding the body.
sw_known_issue() {
    local last
    last=$(awk '/^=== pki /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$T/sw.log")
    if grep -q 'HTTP/1.1 200' <<<"$last" && grep -qE 'could not parse|length of ASN.1 object invalid' <<<"$last"; then
        echo "server answered 200 (TLS, server certificate and authentication accepted by both sides), but pki" \
            "5.9.x cannot decode base64 wrapped at 64 columns ($1)"
        return 3
    fi
    echo "$1 failed: $(sw_tail)"
    return 1
}

sw_estca() {
    rm -f "$T"/sw-ca*.pem
    sw_pki --estca --url "https://localhost:$PORT" --cacert "$CA" --caout "$T/sw-ca.pem" --outform pem --force \
        >>"$T/sw.log" || { sw_known_issue "pki --estca"; return; }
    local got
    got=$(cat "$T"/sw-ca*.pem 2>/dev/null | one_line)
    [[ -n $got ]] || { echo "pki --estca wrote no certificate"; return 1; }
    grep -qxF "$(openssl x509 -in "$CA" | one_line)" <<<"$got" || { echo "ca.pem is not among the certificates pki --estca wrote"; return 1; }
}

sw_enroll() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/sw-dev.key" 2>/dev/null
    openssl req -new -key "$T/sw-dev.key" -subj /CN=smoke-strongswan -outform DER -out "$T/sw-dev.csr" 2>/dev/null
    if ! sw_pki --est --url "https://localhost:$PORT" --cacert "$CA" --userpass estuser:estpwd --in "$T/sw-dev.csr" \
        --outform pem >"$T/sw-dev.crt"; then
        # The re-enroll check still needs a certificate for this key: enroll the same CSR with curl.
        curl -s --cacert "$CA" -u estuser:estpwd -H 'Content-Type: application/pkcs10' --data-binary @<(base64 "$T/sw-dev.csr") \
            "$BASE_URL/simpleenroll" | b64d | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
            sed -n '/BEGIN CERT/,/END CERT/p' >"$T/sw-dev.crt" || true
        sw_known_issue "pki --est --userpass"
        return
    fi
    openssl verify -CAfile "$CA" "$T/sw-dev.crt" || return 1
    same_key "$T/sw-dev.key" "$T/sw-dev.crt" || { echo "the certificate's public key is not the CSR's"; return 1; }
    [[ $(openssl x509 -in "$T/sw-dev.crt" -noout -subject -nameopt RFC2253) == "subject=CN=smoke-strongswan" ]] ||
        { echo "unexpected $(openssl x509 -in "$T/sw-dev.crt" -noout -subject)"; return 1; }
}

sw_reenroll() {
    openssl x509 -in "$T/sw-dev.crt" -noout 2>/dev/null || { echo "no certificate for CN=smoke-strongswan to re-enroll with"; return 1; }
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/sw-dev2.key" 2>/dev/null
    openssl req -new -key "$T/sw-dev2.key" -subj /CN=smoke-strongswan -outform DER -out "$T/sw-dev2.csr" 2>/dev/null
    sw_pki --est --url "https://localhost:$PORT" --cacert "$CA" --cert "$T/sw-dev.crt" --key "$T/sw-dev.key" \
        --in "$T/sw-dev2.csr" --outform pem >"$T/sw-dev2.crt" || { sw_known_issue "pki --est --cert/--key"; return; }
    openssl verify -CAfile "$CA" "$T/sw-dev2.crt" || return 1
    same_key "$T/sw-dev2.key" "$T/sw-dev2.crt" || { echo "the new certificate's public key is not the new CSR's"; return 1; }
    [[ $(openssl x509 -in "$T/sw-dev.crt" -noout -serial) != "$(openssl x509 -in "$T/sw-dev2.crt" -noout -serial)" ]] ||
        { echo "same serial as the first certificate"; return 1; }
}

run_strongswan_checks() {
    check "strongSwan pki --estca: CA certificates include ca.pem" sw_estca
    check "strongSwan pki --est with --userpass: certificate verifies, has the CSR's key and subject" sw_enroll
    check "strongSwan pki --est re-enroll with --cert/--key (TLS client auth): new certificate for the new key" sw_reenroll
}
