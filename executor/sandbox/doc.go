// Package sandbox runs a guide in a throwaway host built with bubblewrap: the
// guide's own user and hostname, its domains resolving to 127.0.0.1, a
// read-only system, a private network with loopback only, and a host profile
// (fixtures/stardust is Uberspace) that adds the host's own tools and
// services. Everything the guide writes lands in one folder on this machine,
// the sandbox's directory, and nowhere else.
//
// PROFILE.md in this folder is the contract between the engine and a profile.
//
// How it is built, and why:
//
//   - The shell is bwrap → sh (uid 0 of a first user namespace, with
//     CAP_NET_ADMIN and CAP_SETFCAP only) → unshare (a second user namespace in
//     which the user is uid 1000) → setpriv (every capability dropped, no new
//     privileges) → init → bash. The first level lets the sandbox's user bind
//     ports below 1024 in the sandbox's own network (an HTTPS front on
//     127.0.0.1:443); the second gives the user its uid. The same chain works
//     for root and for an unprivileged user (unprivileged user namespaces).
//   - The root is a tmpfs holding read-only binds of /usr, /etc, the /bin and
//     /lib links, and parts of /var; /home, /root, /run and the rest of the
//     host are not there. /proc/sys and /proc/sysrq-trigger are read-only:
//     run as root, uid 1000 inside is root outside, and could otherwise change
//     the host's kernel settings.
//   - File steps are written by this process, on the host, into the folder that
//     backs the path inside (Root), after resolving symlinks as the sandbox
//     would; a path nothing writable backs is refused.
package sandbox
