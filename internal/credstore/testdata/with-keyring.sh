#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked
# gnome-keyring Secret Service, with SIGSENTRY_TEST_KEYRING=1 set, e.g.
#   internal/credstore/testdata/with-keyring.sh go test -race ./internal/credstore/
# Needs: dbus (dbus-run-session), gnome-keyring.
#
# The bus, the keyring daemon and anything the bus activates run with a
# scratch HOME and XDG folders, removed at the end, so no keyring or dconf
# file lands in the real HOME; the command itself keeps the caller's HOME
# and XDG variables (Go's caches and toolchains live there). When the
# command ends, the keyring daemon is stopped, then dbus-run-session stops
# the bus: nothing is left running.
set -eu
vars="HOME XDG_RUNTIME_DIR XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME"
if [ -z "${SIGSENTRY_KEYRING_SCRATCH:-}" ]; then
	scratch=$(mktemp -d)
	mkdir -m 700 "$scratch/home" "$scratch/run"
	# Remember the caller's variables, set or not, for the command.
	for v in $vars; do
		if eval "[ -n \"\${$v+set}\" ]"; then
			eval "export SIGSENTRY_KEYRING_SAVED_$v=\"\$$v\""
		fi
	done
	status=0
	SIGSENTRY_KEYRING_SCRATCH="$scratch" \
		HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run" XDG_DATA_HOME="$scratch/home/.local/share" \
		XDG_CONFIG_HOME="$scratch/home/.config" XDG_CACHE_HOME="$scratch/home/.cache" \
		dbus-run-session -- "$0" "$@" || status=$?
	rm -rf "$scratch"
	exit "$status"
fi

# Inside the session. --unlock with a password creates and unlocks the
# "login" collection (an empty password does not create it).
eval "$(printf 'sigsentry-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# The daemon forked away from us: ask the bus for its process, to stop it.
keyring_pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
	awk '/uint32/ { print $2 }') || keyring_pid=""

# Give the command back the caller's variables.
for v in $vars; do
	if eval "[ -n \"\${SIGSENTRY_KEYRING_SAVED_$v+set}\" ]"; then
		eval "export $v=\"\$SIGSENTRY_KEYRING_SAVED_$v\""
		unset "SIGSENTRY_KEYRING_SAVED_$v"
	else
		unset "$v"
	fi
done
unset SIGSENTRY_KEYRING_SCRATCH
status=0
SIGSENTRY_TEST_KEYRING=1 "$@" || status=$?
if [ -n "$keyring_pid" ]; then
	kill "$keyring_pid" 2>/dev/null || true
	# Wait for it to be gone (it takes a moment to handle SIGTERM), so
	# that nothing outlives this script; after 5 s, kill it outright.
	tries=0
	while kill -0 "$keyring_pid" 2>/dev/null; do
		tries=$((tries + 1))
		if [ "$tries" -ge 50 ]; then
			kill -9 "$keyring_pid" 2>/dev/null || true
			break
		fi
		sleep 0.1
	done
fi
exit "$status"
