package runbook

// ParamKind says what an example value in a guide stands for.
type ParamKind string

const (
	// ParamUser is the Uberspace user name (isabell).
	ParamUser ParamKind = "user"
	// ParamHost is the host name (stardust).
	ParamHost ParamKind = "host"
	// ParamDomain is a domain or subdomain (example.org, matrix.example.org, isabell.uber.space).
	ParamDomain ParamKind = "domain"
	// ParamPlaceholder is an angle-bracket placeholder such as <port> or <username>.
	ParamPlaceholder ParamKind = "placeholder"
	// ParamService is the SERVICE name in supervisord output.
	ParamService ParamKind = "service"
	// ParamSecret is a password or secret; its value is never printed.
	ParamSecret ParamKind = "secret"
)

// Param is an example value that a reader is meant to replace with their own.
type Param struct {
	Name    string // stable name used by --set NAME=V and the sidecar: "user", "host", "domain", "port", "password", ...
	Example string // the text as documented: "isabell", "example.org", "<port>", "MySuperSecretPSQLPassword"
	Value   string // the value to use; equals Example until the user sets it (secrets: empty until set)
	Kind    ParamKind
	Secret  bool
	Uses    []Pos  // every place the example text occurs
	Derived string // for a value that follows another param (matrix.example.org follows example.org): that param's Name
}
