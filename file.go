package runbook

// FileMode says how a File step changes its target.
type FileMode string

const (
	// Create writes the content as the whole file.
	Create FileMode = "create"
	// Merge merges the content into the existing file by structure (yaml, json, ini).
	Merge FileMode = "merge"
	// Append adds the content at the end of the file.
	Append FileMode = "append"
)

// File is a content block that runbook writes to a file named by the prose or by an override.
type File struct {
	Header
	Path    string // as written in the guide: "~/synapse/homeserver.yaml", "/var/www/virtual/$USER/x"
	Mode    FileMode
	Format  string   // "yaml", "json", "ini", "bash", "text", ...
	Content string   // the block's text, dedented, with a trailing newline
	Key     []string // for a yaml fragment that is a list item: the parent key path from the prose ("listeners")
	Why     string   // the prose or override that named the file, for people reading `steps`
}

// Kind reports KindFile.
func (*File) Kind() Kind { return KindFile }
