#!/usr/bin/env bash
# Makes a test certificate authority (CA) and a certificate for each named node, with keytool (JDK)
# only, for the cluster transport's mutual TLS and the HTTPS gateway (docs/SECURITY.md).
#
#   deploy/tls/make-test-certs.sh OUTDIR NAME [NAME ...]
#
# Writes to OUTDIR (mode 700; every file mode 600):
#   ca.p12, ca.password              the CA's key: keep it away from the nodes; re-running the script
#                                    with the same OUTDIR signs more nodes with the same CA
#   ca.crt                           the CA's certificate (PEM), for HTTPS clients (curl --cacert)
#   truststore.p12, truststore.password   a trust store holding only the CA: every node's
#                                    JOBCLUSTER_CLUSTER_TLS_TRUST_STORE(_PASSWORD_FILE)
#   NAME.p12, NAME.password          NAME's key store: its key and its certificate signed by the CA,
#                                    valid for the names NAME, localhost, 127.0.0.1 and ::1 (plus the
#                                    comma-separated JOBCLUSTER_CERT_EXTRA_SANS, e.g. "dns:jobs.example.com,ip:10.0.0.5")
#   NAME.crt                         NAME's certificate (PEM)
# Passwords are random, written only to the .password files, and never passed on a command line
# (keytool reads them with -storepass:file). Certificates are valid for JOBCLUSTER_CERT_DAYS (365) days.
# A test CA is for tests and trials: for production, use certificates from your own CA (same layout).
set -euo pipefail

if (($# < 2)); then
  echo "usage: $0 OUTDIR NAME [NAME ...]   (NAME: a host name or IP address of a node)" >&2
  exit 2
fi
out="$1"
shift
days="${JOBCLUSTER_CERT_DAYS:-365}"
extra_sans="${JOBCLUSTER_CERT_EXTRA_SANS:-}"

umask 077
mkdir -p "$out"
chmod 700 "$out"

# 32 random bytes, base64 without padding or slashes; mode 600 through the umask.
new_secret() {
  head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$1"
  chmod 600 "$1"
}

kt() {
  keytool "$@" 2>&1 | { grep -v -e '^Certificate was added to keystore' -e '^$' || true; } >&2
  return "${PIPESTATUS[0]}"
}

if [[ ! -f "$out/ca.p12" ]]; then
  new_secret "$out/ca.password"
  kt -genkeypair -alias ca -keyalg RSA -keysize 3072 -validity "$days" \
    -dname "CN=Jobcluster test CA $(date -u +%Y%m%dT%H%M%SZ) $RANDOM" \
    -ext bc:c=ca:true -ext KeyUsage=keyCertSign,cRLSign \
    -storetype PKCS12 -keystore "$out/ca.p12" -storepass:file "$out/ca.password"
  kt -exportcert -rfc -alias ca -keystore "$out/ca.p12" -storepass:file "$out/ca.password" -file "$out/ca.crt"
  rm -f "$out/truststore.p12"
  new_secret "$out/truststore.password"
  kt -importcert -noprompt -alias jobcluster-ca -file "$out/ca.crt" \
    -storetype PKCS12 -keystore "$out/truststore.p12" -storepass:file "$out/truststore.password"
  echo "made a test CA in $out (ca.p12, ca.crt, truststore.p12)" >&2
fi

for name in "$@"; do
  if [[ ! "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._:-]*$ ]]; then
    echo "not a host name or IP address: '$name'" >&2
    exit 2
  fi
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then
    san="ip:$name"
  else
    san="dns:$name"
  fi
  san="$san,dns:localhost,ip:127.0.0.1,ip:::1${extra_sans:+,$extra_sans}"
  store="$out/$name.p12"
  rm -f "$store" "$out/$name.crt"
  new_secret "$out/$name.password"
  kt -genkeypair -alias node -keyalg RSA -keysize 2048 -validity "$days" -dname "CN=$name" \
    -storetype PKCS12 -keystore "$store" -storepass:file "$out/$name.password"
  kt -certreq -alias node -keystore "$store" -storepass:file "$out/$name.password" -file "$out/$name.csr"
  kt -gencert -rfc -alias ca -keystore "$out/ca.p12" -storepass:file "$out/ca.password" -validity "$days" \
    -infile "$out/$name.csr" -outfile "$out/$name.crt" \
    -ext "SAN=$san" -ext KeyUsage=digitalSignature,keyEncipherment -ext ExtendedKeyUsage=serverAuth,clientAuth
  # The CA first, so that keytool accepts the signed certificate as the reply to the key's request.
  kt -importcert -noprompt -alias ca -file "$out/ca.crt" -keystore "$store" -storepass:file "$out/$name.password"
  kt -importcert -alias node -file "$out/$name.crt" -keystore "$store" -storepass:file "$out/$name.password"
  rm -f "$out/$name.csr"
  echo "made $store for $san" >&2
done
