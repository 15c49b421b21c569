// Package childenv gives the programs sigsentry starts (the browser
// opener, git) an environment without sigsentry's secrets.
package childenv

import "strings"

// Scrub returns a copy of env (as from os.Environ) without the variables
// that hold, or may hold, a secret:
//
//   - every SIGSENTRY_* variable: the Bitbucket token, App password and API
//     token, the OAuth consumer secret, the credential file's passphrase,
//     and whatever later versions add; the others only configure sigsentry
//     itself, which a child has no use for;
//   - SENTRY_AUTH_TOKEN, the Sentry token sigsentry reads.
//
// Names compare without regard to case, as Windows treats them. Entries
// without a name (Windows' "=C:=C:\dir") are kept.
func Scrub(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if secretName(name) {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func secretName(name string) bool {
	upper := strings.ToUpper(name)
	return strings.HasPrefix(upper, "SIGSENTRY_") || upper == "SENTRY_AUTH_TOKEN"
}
