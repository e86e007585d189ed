package lint

import (
	"fmt"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// programKeys are the keys supervisord documents for a [program:x] section;
// supervisord reads them case-sensitively.
var programKeys = map[string]bool{
	"command": true, "process_name": true, "numprocs": true, "numprocs_start": true,
	"priority": true, "autostart": true, "startsecs": true, "startretries": true,
	"autorestart": true, "exitcodes": true, "stopsignal": true, "stopwaitsecs": true,
	"stopasgroup": true, "killasgroup": true, "user": true, "redirect_stderr": true,
	"stdout_logfile": true, "stdout_logfile_maxbytes": true, "stdout_logfile_backups": true,
	"stdout_capture_maxbytes": true, "stdout_events_enabled": true, "stdout_syslog": true,
	"stderr_logfile": true, "stderr_logfile_maxbytes": true, "stderr_logfile_backups": true,
	"stderr_capture_maxbytes": true, "stderr_events_enabled": true, "stderr_syslog": true,
	"environment": true, "directory": true, "umask": true, "serverurl": true,
}

// systemdKeys maps systemd unit keys that authors carry over to the
// supervisord key that does the same job.
var systemdKeys = map[string]string{
	"Environment":      "environment",
	"ExecStart":        "command",
	"WorkingDirectory": "directory",
	"User":             "user",
	"Restart":          "autorestart",
}

// isSupervisord reports whether a content block is a supervisord program
// file: it lives in services.d or declares a [program:x] section.
func isSupervisord(b block) bool {
	return (b.format == "ini" && strings.Contains(b.path, "services.d/")) || strings.Contains(b.content, "[program:")
}

// checkSupervisordKeys reports keys in [program:x] sections that supervisord
// does not know, such as systemd's `Environment=`.
func checkSupervisordKeys(c *context) []runbook.Diagnostic {
	var out []runbook.Diagnostic
	for _, b := range c.blocks {
		if !isSupervisord(b) {
			continue
		}
		inProgram := !strings.Contains(b.content, "[") // a fragment without a header belongs to the program
		for i, l := range strings.Split(b.content, "\n") {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(t, "[") {
				inProgram = strings.HasPrefix(t, "[program:")
				continue
			}
			if !inProgram || t == "" || l[0] == ' ' || l[0] == '\t' || strings.HasPrefix(t, ";") || strings.HasPrefix(t, "#") {
				continue
			}
			k := strings.IndexAny(t, "=:")
			if k <= 0 {
				continue // bad-ini says what is wrong with it
			}
			key := strings.TrimSpace(t[:k])
			if programKeys[key] || isPlaceholderText(key) {
				continue
			}
			out = append(out, warn(b.at(i), "supervisord-key", unknownKeyMessage(key)))
		}
	}
	return out
}

// unknownKeyMessage names the key supervisord will reject and the key meant.
func unknownKeyMessage(key string) string {
	if k, ok := systemdKeys[key]; ok {
		return fmt.Sprintf("%q is not a supervisord program key (it is systemd's spelling); use %q.", key, k)
	}
	if programKeys[strings.ToLower(key)] {
		return fmt.Sprintf("%q is not a supervisord program key (keys are case-sensitive); use %q.", key, strings.ToLower(key))
	}
	return fmt.Sprintf("%q is not a supervisord program key.", key)
}

// isPlaceholderText reports whether s is an angle-bracket placeholder.
func isPlaceholderText(s string) bool {
	return strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">")
}
