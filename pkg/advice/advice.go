// Package advice holds the fixes sigsentry tells its user, written once so
// that every layer words them the same way. It imports nothing, so any
// package, in pkg/ or internal/, can refer to it.
package advice

// LoginCommand signs in to Bitbucket Cloud.
const LoginCommand = "sigsentry auth login"

// Relogin is the fix for a Bitbucket login that is missing, expired,
// revoked or refused: sign in again.
const Relogin = "run `" + LoginCommand + "`"

// ReloginOrEnv is Relogin with the alternative for CI, where nobody can
// sign in: credentials from the environment.
const ReloginOrEnv = Relogin + ", or set SIGSENTRY_BITBUCKET_EMAIL and SIGSENTRY_BITBUCKET_API_TOKEN"

// RevokeAndRelogin is the fix for a stored credential that cannot be read
// or used any more: remove it, then sign in again.
const RevokeAndRelogin = "run `sigsentry revoke`, then `" + LoginCommand + "`"
