package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// etcFiles are the files of /etc the sandbox writes its own version of.
var etcFiles = []string{"passwd", "group", "shadow", "gshadow", "hosts", "hostname"}

// systemBundle is where Debian's tools look for trusted CAs.
const systemBundle = "/etc/ssl/certs/ca-certificates.crt"

// caInEtc says whether the system bundle can be replaced by the sandbox's
// (bwrap can only bind over a file that exists).
func (s *Sandbox) caInEtc() bool {
	fi, err := os.Stat(systemBundle)
	return err == nil && fi.Mode().IsRegular()
}

// writeEtc writes the user's account (uid 1000, a group of its name), the
// hostname, and hosts that send the host name and every domain to 127.0.0.1.
func (s *Sandbox) writeEtc() error {
	u := s.user
	files := map[string]string{
		"passwd": fmt.Sprintf("root:x:0:0:root:/root:/bin/bash\n%s:x:%d:%d:%s:%s:/bin/bash\n"+
			"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", u, sandboxUID, sandboxUID, u, s.home),
		"group":    fmt.Sprintf("root:x:0:\n%s:x:%d:\nnogroup:x:65534:\n", u, sandboxUID),
		"shadow":   fmt.Sprintf("root:*:19000:0:99999:7:::\n%s:!:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n", u),
		"gshadow":  fmt.Sprintf("root:*::\n%s:!::\nnogroup:*::\n", u),
		"hostname": s.host + "\n",
		"hosts":    s.hosts(),
		"empty":    "",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(s.dir, "etc", name), []byte(content), 0o644); err != nil {
			return fmt.Errorf("cannot write the sandbox's /etc/%s: %v", name, err)
		}
	}
	return writeLines(filepath.Join(s.dir, "run", "domains"), s.guideDomains)
}

// hosts is /etc/hosts: everything the guide names is this machine.
func (s *Sandbox) hosts() string {
	var b strings.Builder
	fmt.Fprintf(&b, "127.0.0.1\tlocalhost %s\n::1\tlocalhost ip6-localhost ip6-loopback\n", s.host)
	for _, d := range s.domains {
		fmt.Fprintf(&b, "127.0.0.1\t%s\n", d)
	}
	return b.String()
}

// writeLines writes one string a line.
func writeLines(path string, lines []string) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
