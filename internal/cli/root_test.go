package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/sigsentry/sigsentry/internal/cmdutil"
	"github.com/sigsentry/sigsentry/internal/iostreams"
	"github.com/sigsentry/sigsentry/internal/oauthflow"
	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/sentry"
	"golang.org/x/oauth2"
)

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"help", []string{"--help"}, 0},
		{"unknown flag", []string{"analyze", "--bogus"}, 2},
		{"unknown command", []string{"nosuch"}, 2},
		{"extra argument", []string{"version", "extra"}, 2},
		{"bad output format", []string{"version", "-o", "yaml"}, 2},
		// Groups of commands reject what names none of theirs, as root does.
		{"unknown auth command", []string{"auth", "statuss"}, 2},
		{"auth logout", []string{"auth", "logout"}, 2},
		{"unknown repos command", []string{"repos", "lst"}, 2},
		{"unknown shell", []string{"completion", "tcsh"}, 2},
		{"auth alone", []string{"auth"}, 0},
		// One checkout per run: a second --local does not replace the first.
		{"local twice", []string{"analyze", "--local", ".", "--local", ".."}, 2},
		{"repos alone", []string{"repos"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, errOut := iostreams.Test()
			f := NewFactory(ios)
			f.Getenv = func(string) string { return "" }
			if got := Run(context.Background(), f, tt.args); got != tt.want {
				t.Errorf("got exit %d, want %d; stderr: %s", got, tt.want, errOut.String())
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantHint bool
	}{
		{"plain", errors.New("boom"), 1, false},
		{"partial", cmdutil.PartialError(errors.New("2 of 3 failed")), 3, false},
		{"auth", cmdutil.AuthError(errors.New("no credential"), "run sigsentry auth login"), 4, true},
		{"api 401", fmt.Errorf("listing: %w", &bitbucket.APIError{StatusCode: 401}), 4, true},
		{"api 404", &bitbucket.APIError{StatusCode: 404}, 1, true},
		{"sentry 401", fmt.Errorf("pulling: %w", &sentry.APIError{StatusCode: 401}), 4, true},
		{"sentry 404", &sentry.APIError{StatusCode: 404, Resource: sentry.ResourceIssue}, 1, true},
		{"invalid_grant", &oauth2.RetrieveError{ErrorCode: "invalid_grant"}, 4, true},
		{"usage", cmdutil.UsageErrorf("bad"), 2, false},
		{"dead oauth login", fmt.Errorf("analyzing: %w", &oauthflow.ReloginError{Err: errors.New("refresh refused")}), 4, true},
		{"dead oauth login in a partial result", cmdutil.PartialError(fmt.Errorf("analyzing acme/api: listing: %w",
			&bitbucket.GiveUpError{Err: fmt.Errorf("authenticating: %w", &oauthflow.ReloginError{Err: errors.New("invalid_grant")})})), 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg, hint := describe(ctx, tt.err)
			if code != tt.wantCode {
				t.Errorf("got code %d, want %d", code, tt.wantCode)
			}
			if msg == "" {
				t.Error("got an empty message")
			}
			if (hint != "") != tt.wantHint {
				t.Errorf("got hint %q, want hint present=%v", hint, tt.wantHint)
			}
			var rl *oauthflow.ReloginError
			if errors.As(tt.err, &rl) && hint != rl.Hint() {
				t.Errorf("got hint %q, want the re-login advice %q", hint, rl.Hint())
			}
		})
	}
}
