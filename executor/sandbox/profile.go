package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Fixed places inside the sandbox (PROFILE.md).
const (
	ProfilePath   = "/opt/runbook/profile"
	CachePath     = "/opt/runbook/cache"
	StatePath     = "/run/runbook"
	SimulatedPath = StatePath + "/simulated"
	sandboxUID    = 1000
)

// Profile is a host description: profile.yaml and the folder around it.
type Profile struct {
	Name    string            `yaml:"name"`
	Host    string            `yaml:"host"`
	User    string            `yaml:"user"`
	Domains []string          `yaml:"domains"` // names the host always has, besides the guide's
	Dirs    []string          `yaml:"dirs"`
	Links   map[string]string `yaml:"links"`
	Env     map[string]string `yaml:"env"`
	Path    []string          `yaml:"path"`
	Setup   string            `yaml:"setup"`
	Init    string            `yaml:"init"`

	// Dir is the profile's folder on this host.
	Dir string `yaml:"-"`
	// Hash identifies the folder's content: a changed profile gets a fresh setup.
	Hash string `yaml:"-"`
}

// LoadProfile reads dir/profile.yaml and checks that the programs it names exist.
func LoadProfile(dir string) (*Profile, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	file := filepath.Join(abs, "profile.yaml")
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s is not a host profile: it has no profile.yaml", dir)
	}
	if err != nil {
		return nil, err
	}
	p := &Profile{Dir: abs}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if p.Name == "" {
		p.Name = filepath.Base(abs)
	}
	for _, prog := range []string{p.Setup, p.Init} {
		if err := p.checkProgram(file, prog); err != nil {
			return nil, err
		}
	}
	if p.Hash, err = hashDir(os.DirFS(abs)); err != nil {
		return nil, fmt.Errorf("profile %s: %v", dir, err)
	}
	return p, nil
}

// checkProgram makes sure a program named in profile.yaml is an executable
// file inside the profile.
func (p *Profile) checkProgram(file, prog string) error {
	if prog == "" {
		return nil
	}
	if filepath.IsAbs(prog) || !filepath.IsLocal(prog) {
		return fmt.Errorf("%s: %q must be a path inside the profile folder", file, prog)
	}
	fi, err := os.Stat(filepath.Join(p.Dir, prog))
	if err != nil {
		return fmt.Errorf("%s: the program %s: %v", file, prog, errors.Unwrap(err))
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s: the program %s is not an executable file", file, prog)
	}
	return nil
}

// hashDir is a digest of every regular file's path, executable bit and
// content, in a fixed order.
func hashDir(fsys fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%t\x00%d\x00", path, executable(data), len(data))
		h.Write(data)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

// executable says whether an extracted file gets the exec bit: a script.
func executable(data []byte) bool { return bytes.HasPrefix(data, []byte("#!")) }

// Extract writes a profile kept in the binary (go:embed) to a folder under
// cacheRoot named by its content hash and returns that folder. A folder that
// is already there is reused, so concurrent runs share one copy.
func Extract(fsys fs.FS, cacheRoot string) (string, error) {
	sum, err := hashDir(fsys)
	if err != nil {
		return "", fmt.Errorf("the built-in profile: %v", err)
	}
	dir := filepath.Join(cacheRoot, "profiles", sum)
	if _, err := os.Stat(filepath.Join(dir, "profile.yaml")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".extract-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", err
	}
	if err := copyFS(fsys, tmp); err != nil {
		return "", fmt.Errorf("extract the built-in profile: %v", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "profile.yaml")); statErr == nil {
			return dir, nil // another run extracted it first
		}
		return "", err
	}
	return dir, nil
}

// copyFS writes every file of fsys under dir, scripts executable.
func copyFS(fsys fs.FS, dir string) error {
	return fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o644)
		if executable(data) {
			mode = 0o755
		}
		return os.WriteFile(dst, data, mode)
	})
}

// placeholders expands {user}, {home}, {host}, {profile}, {cache} and {state}.
func (s *Sandbox) placeholders() *strings.Replacer {
	return strings.NewReplacer("{user}", s.user, "{home}", s.home, "{host}", s.host,
		"{profile}", ProfilePath, "{cache}", CachePath, "{state}", StatePath)
}

// sortedKeys lists a map's keys in order, so that generated files and argv
// are the same on every run.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
