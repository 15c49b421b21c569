package revoke

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/credstore"
)

// TestKeychainUnreachable: one error, naming the items left, only when
// every failure was the keychain being out of reach.
func TestKeychainUnreachable(t *testing.T) {
	ke := &credstore.KeychainError{Op: "deleting from", Err: errors.New("no D-Bus session bus")}
	wrapped := fmt.Errorf("removing stored credentials: %w", errors.Join(fmt.Errorf("keychain: %w", ke)))
	other := errors.New("permission denied")
	for _, tc := range []struct {
		name     string
		bb, sen  error
		want     string // "" = not this error
		notItems string
	}{
		{"none", nil, nil, "", ""},
		{"both", wrapped, fmt.Errorf("removing the stored Sentry token: %w", ke), "sigsentry:bitbucket, sigsentry:sentry", ""},
		{"bitbucket only", wrapped, nil, "(sigsentry:bitbucket)", "sigsentry:sentry"},
		{"sentry only", nil, ke, "(sigsentry:sentry)", "sigsentry:bitbucket"},
		{"another failure too", errors.Join(wrapped, other), nil, "", ""},
		{"another failure only", other, nil, "", ""},
	} {
		err := keychainUnreachable(tc.bb, tc.sen)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: got %v, want nil", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "no D-Bus session bus")):
			t.Errorf("%s: got %v, want it to name %s and the cause", tc.name, err, tc.want)
		case tc.notItems != "" && err != nil && strings.Contains(err.Error(), tc.notItems):
			t.Errorf("%s: got %v, which names %s", tc.name, err, tc.notItems)
		}
	}
}
