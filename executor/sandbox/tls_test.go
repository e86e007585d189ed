package sandbox

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTLS serves HTTPS on 127.0.0.1:443 inside, as the user, with the
// sandbox's certificate, and fetches https://DOMAIN with curl and python3:
// both trust the sandbox's CA without being told.
func TestTLS(t *testing.T) {
	need(t, "curl", "python3")
	sb := newTest(t, Options{Domains: []string{"example.org", "matrix.example.org"}})
	sh := startShell(t, sb)
	server := `python3 -c '
import http.server, ssl
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"hello over tls\n")
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 443), H)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
c.load_cert_chain("/run/runbook/tls/cert.pem", "/run/runbook/tls/key.pem")
s.socket = c.wrap_socket(s.socket, server_side=True)
print("listening", flush=True)
s.serve_forever()' >/tmp/server.log 2>&1 &`
	output(t, sh, server)
	output(t, sh, "for i in $(seq 50); do grep -q listening /tmp/server.log && break; sleep 0.1; done; cat /tmp/server.log")
	if got := output(t, sh, "curl --silent --show-error https://matrix.example.org/"); got != "hello over tls" {
		t.Fatalf("curl: %q", got)
	}
	py := `python3 -c 'import urllib.request; print(urllib.request.urlopen("https://example.org/").read().decode().strip())'`
	if got := output(t, sh, py); got != "hello over tls" {
		t.Fatalf("python3: %q", got)
	}
	// A name the certificate does not cover is refused: the trust is real checking.
	if out := run(t, sh, "curl --silent --show-error --resolve other.test:443:127.0.0.1 https://other.test/"); out.Exit == 0 {
		t.Fatalf("curl accepted a certificate for another name: %q", out.Output)
	}
}

// TestCertificateNames checks the certificate's names and the bundle the system trusts.
func TestCertificateNames(t *testing.T) {
	sb := newTest(t, Options{Domains: []string{"example.org", "Matrix.Example.org."}})
	tls := filepath.Join(sb.Dir(), "run", "tls")
	cert := parseCert(t, filepath.Join(tls, "cert.pem"))
	for _, name := range []string{"example.org", "matrix.example.org", "isabell.uber.space", "stardust", "localhost"} {
		if !slices.Contains(cert.DNSNames, name) {
			t.Errorf("the certificate does not name %s: %v", name, cert.DNSNames)
		}
	}
	ca := parseCert(t, filepath.Join(tls, "ca.pem"))
	if err := cert.CheckSignatureFrom(ca); err != nil {
		t.Fatal(err)
	}
	bundle, err := os.ReadFile(filepath.Join(tls, "bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _ := os.ReadFile(filepath.Join(tls, "ca.pem"))
	if !strings.HasSuffix(string(bundle), string(caPEM)) {
		t.Fatal("the bundle does not end with the sandbox's CA")
	}
	if fi, err := os.Stat(filepath.Join(tls, "key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key.pem must be 0600: %v %v", fi.Mode(), err)
	}
}

func parseCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("%s: no PEM", path)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
