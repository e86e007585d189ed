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
	// ParamChoice is a choice written for people, such as [yes|no] in a
	// command; its default is the first option.
	ParamChoice ParamKind = "choice"
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
	// Default is the value the guide itself gives, when it gives one: 8008
	// for the <port> of "the listener on port 8008", the program an ini
	// block names for SERVICE, the bracketed default of the question USER
	// answers, the first option of [yes|no]. Value starts as Default.
	Default string
	// Local means the Example stands for the param only at its Ties: the
	// USER typed at one prompt is the reader's name there, while $USER
	// elsewhere is the shell's.
	Local bool
	// Ties are other texts that stand for the param in one step each.
	Ties []Tie
}

// Tie is a text that stands for a param in one step only: the 8008 of the
// listener block the prose ties to <port>, the program an ini block defines
// for SERVICE, the USER typed at one prompt.
type Tie struct {
	Text   string // as documented: "8008", "program:synapse", "USER"
	Prefix string // Text stands for Prefix + the param's value ("program:" + "synapse")
	Step   int    // the ID of the step it is in
	Line   int    // for a command, the source line of the output or answer it is on; 0: anywhere in the step
	Pos    Pos    // where it is written
}
