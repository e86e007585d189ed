package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// writeTLS makes the sandbox's own CA and a certificate for every domain, the
// host name and localhost, and the bundle the system trusts inside (the
// host's CAs plus this one). A sandbox folder used again keeps its CA, so
// certificates the profile signed with it stay valid.
func (s *Sandbox) writeTLS() error {
	dir := filepath.Join(s.dir, "run", "tls")
	if !allExist(dir, "ca.pem", "ca-key.pem", "cert.pem", "key.pem") {
		if err := s.makeCerts(dir); err != nil {
			return fmt.Errorf("cannot make the sandbox's certificates: %v", err)
		}
	}
	ca, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return err
	}
	system, _ := os.ReadFile(systemBundle) // a host without CAs trusts only the sandbox's
	bundle := append(append(system, '\n'), ca...)
	return os.WriteFile(filepath.Join(dir, "bundle.pem"), bundle, 0o644)
}

// makeCerts writes ca.pem, ca-key.pem, cert.pem and key.pem.
func (s *Sandbox) makeCerts(dir string) error {
	now := time.Now()
	caKey, caDER, err := newCert(&x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: "runbook sandbox CA (" + s.host + ")"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(2, 0, 0),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, nil, nil)
	if err != nil {
		return err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	names := append([]string{s.host, "localhost"}, s.domains...)
	key, der, err := newCert(&x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: names[len(names)-1]},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		DNSNames: names, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca, caKey)
	if err != nil {
		return err
	}
	return writePEMs(dir, map[string]pemFile{
		"ca.pem": {"CERTIFICATE", caDER, 0o644}, "ca-key.pem": {"PRIVATE KEY", caKey, 0o600},
		"cert.pem": {"CERTIFICATE", der, 0o644}, "key.pem": {"PRIVATE KEY", key, 0o600},
	})
}

// newCert makes a key and a certificate from tmpl, signed by parent (self-signed
// when parent is nil); it returns both DER-encoded.
func newCert(tmpl, parent *x509.Certificate, parentKey []byte) (key, cert []byte, err error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	if key, err = x509.MarshalPKCS8PrivateKey(k); err != nil {
		return nil, nil, err
	}
	signer := any(k)
	if parent == nil {
		parent = tmpl
	} else if signer, err = x509.ParsePKCS8PrivateKey(parentKey); err != nil {
		return nil, nil, err
	}
	cert, err = x509.CreateCertificate(rand.Reader, tmpl, parent, &k.PublicKey, signer)
	return key, cert, err
}

// pemFile is one PEM file to write: its block type, content and mode.
type pemFile struct {
	kind string
	der  []byte
	mode os.FileMode
}

// writePEMs writes each file into dir.
func writePEMs(dir string, files map[string]pemFile) error {
	for name, f := range files {
		data := pem.EncodeToMemory(&pem.Block{Type: f.kind, Bytes: f.der})
		if err := os.WriteFile(filepath.Join(dir, name), data, f.mode); err != nil {
			return err
		}
	}
	return nil
}

// serial is a random certificate serial number.
func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}

// allExist says whether every named file exists in dir.
func allExist(dir string, names ...string) bool {
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			return false
		}
	}
	return true
}
