#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked
# gnome-keyring Secret Service, with SIGSENTRY_TEST_KEYRING=1 set, e.g.
#   internal/credstore/testdata/with-keyring.sh go test -race ./internal/credstore/
# Needs: dbus (dbus-run-session), gnome-keyring.
set -eu
if [ -z "${SIGSENTRY_IN_KEYRING_SESSION:-}" ]; then
	SIGSENTRY_IN_KEYRING_SESSION=1 exec dbus-run-session -- "$0" "$@"
fi
# A throw-away keyring folder and password: --unlock creates and unlocks
# the "login" collection (an empty password does not create it).
keyrings=$(mktemp -d)
trap 'rm -rf "$keyrings"' EXIT
eval "$(printf 'sigsentry-test' | XDG_DATA_HOME="$keyrings" gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
SIGSENTRY_TEST_KEYRING=1 "$@"
