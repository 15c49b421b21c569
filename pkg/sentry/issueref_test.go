package sentry

import (
	"errors"
	"strings"
	"testing"
)

func TestParseIssueRef(t *testing.T) {
	const ev = "9999aaaaca8b46d797c23c6077c6ff01"
	tests := []struct {
		in, org string
		want    IssueRef
	}{
		{"https://acme.sentry.io/issues/4512345678/", "", IssueRef{Org: "acme", IssueID: "4512345678", BaseURL: "https://sentry.io"}},
		{"https://acme.sentry.io/issues/4512345678", "", IssueRef{Org: "acme", IssueID: "4512345678", BaseURL: "https://sentry.io"}},
		{"  https://Acme.Sentry.io/issues/4512345678/?project=4505&query=is%3Aunresolved&referrer=issue-stream  ", "",
			IssueRef{Org: "acme", IssueID: "4512345678", ProjectID: "4505", BaseURL: "https://sentry.io"}},
		{"https://acme.sentry.io/issues/4512345678/events/" + ev + "/?project=1", "",
			IssueRef{Org: "acme", IssueID: "4512345678", EventID: ev, ProjectID: "1", BaseURL: "https://sentry.io"}},
		{"https://acme.sentry.io/issues/4512345678/events/latest/", "", IssueRef{Org: "acme", IssueID: "4512345678", EventID: "latest", BaseURL: "https://sentry.io"}},
		{"https://acme.sentry.io/issues/4512345678/events/9999AAAA-CA8B-46D7-97C2-3C6077C6FF01/", "",
			IssueRef{Org: "acme", IssueID: "4512345678", EventID: ev, BaseURL: "https://sentry.io"}},
		{"https://acme.sentry.io/issues/4512345678/activity/", "", IssueRef{Org: "acme", IssueID: "4512345678", BaseURL: "https://sentry.io"}},
		{"https://acme.sentry.io/issues/CHECKOUT-1A2/", "", IssueRef{Org: "acme", ShortID: "CHECKOUT-1A2", BaseURL: "https://sentry.io"}},
		{"acme.sentry.io/issues/42/", "", IssueRef{Org: "acme", IssueID: "42", BaseURL: "https://sentry.io"}},
		{"<https://acme.sentry.io/issues/42/>", "", IssueRef{Org: "acme", IssueID: "42", BaseURL: "https://sentry.io"}},
		{"https://sentry.io/organizations/acme/issues/42/", "", IssueRef{Org: "acme", IssueID: "42", BaseURL: "https://sentry.io"}},
		{"https://sentry.io/organizations/acme/issues/42/events/oldest/", "", IssueRef{Org: "acme", IssueID: "42", EventID: "oldest", BaseURL: "https://sentry.io"}},
		{"https://de.sentry.io/organizations/acme/issues/42/", "", IssueRef{Org: "acme", IssueID: "42", BaseURL: "https://de.sentry.io"}},
		{"https://acme.de.sentry.io/issues/42/", "", IssueRef{Org: "acme", IssueID: "42", BaseURL: "https://de.sentry.io"}},
		{"https://acme.sentry.io/organizations/acme/issues/42/", "", IssueRef{Org: "acme", IssueID: "42", BaseURL: "https://sentry.io"}},
		{"https://sentry.io/acme/checkout/issues/42/", "", IssueRef{Org: "acme", IssueID: "42", ProjectSlug: "checkout", BaseURL: "https://sentry.io"}},
		{"https://sentry.io/issues/42/", "acme", IssueRef{Org: "acme", IssueID: "42", BaseURL: "https://sentry.io"}},
		{"https://sentry.example.com/organizations/acme/issues/42/", "", IssueRef{Org: "acme", IssueID: "42", BaseURL: "https://sentry.example.com"}},
		{"https://example.com:8443/tools/sentry/organizations/acme/issues/42/events/" + ev + "/", "",
			IssueRef{Org: "acme", IssueID: "42", EventID: ev, BaseURL: "https://example.com:8443/tools/sentry"}},
		{"http://127.0.0.1:9000/organizations/acme/issues/42/", "", IssueRef{Org: "acme", IssueID: "42", BaseURL: "http://127.0.0.1:9000"}},
		{"4512345678", "acme", IssueRef{Org: "acme", IssueID: "4512345678"}},
		{"4512345678", "ACME", IssueRef{Org: "acme", IssueID: "4512345678"}},
		{"CHECKOUT-1A2", "acme", IssueRef{Org: "acme", ShortID: "CHECKOUT-1A2"}},
		{"pump-station-1", "acme", IssueRef{Org: "acme", ShortID: "PUMP-STATION-1"}},
	}
	for _, tt := range tests {
		got, err := ParseIssueRef(tt.in, tt.org)
		if err != nil {
			t.Errorf("ParseIssueRef(%q, %q): got error %v", tt.in, tt.org, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseIssueRef(%q, %q):\n got %+v\nwant %+v", tt.in, tt.org, got, tt.want)
		}
	}
}

func TestParseIssueRefErrors(t *testing.T) {
	tests := []struct {
		in, org, want string
	}{
		{"", "acme", "nothing was given"},
		{"4512345678", "", "SENTRY_ORG"},
		{"CHECKOUT-1A2", "", "SENTRY_ORG"},
		{"4512345678", "Acme Corp", "not a Sentry organization slug"},
		{"hello", "acme", "short id (PROJECT-1A2)"},
		{"12.5", "acme", "numeric id"},
		{"https://github.com/acme/api/issues/12", "", "GitHub URL"},
		{"https://gitlab.com/acme/api/-/issues/12", "", "GitLab URL"},
		{"https://acme.atlassian.net/browse/OPS-12", "", "Jira URL"},
		{"https://bitbucket.org/acme/api/issues/3", "", "Bitbucket URL"},
		{"https://example.com/acme/api/issues/12", "", "not a Sentry issue URL"},
		{"https://acme.sentry.io/releases/app@1.2.3/", "", "not an issue"},
		{"https://acme.sentry.io/issues/", "", "not an issue"},
		{"https://sentry.io/organizations/acme/projects/", "", "not an issue"},
		{"https://sentry.io/issues/42/", "", "names no organization"},
		{"https://acme.sentry.io/issues/42/events/not-an-event/", "", "not a Sentry event"},
		{"https://acme.sentry.io/issues/x.y/", "", "neither numeric nor a short id"},
		{"ftp://acme.sentry.io/issues/42/", "", "not http(s)"},
		{"https://user:pw@sentry.example.com/organizations/acme/issues/42/", "", "credentials in the URL"},
		{"https://sentry.example.com/organizations/Acme%20Corp/issues/42/", "", "not a Sentry organization slug"},
	}
	for _, tt := range tests {
		_, err := ParseIssueRef(tt.in, tt.org)
		if err == nil {
			t.Errorf("ParseIssueRef(%q, %q): got no error, want one saying %q", tt.in, tt.org, tt.want)
			continue
		}
		if !errors.Is(err, ErrNotIssueRef) {
			t.Errorf("ParseIssueRef(%q): error %v does not wrap ErrNotIssueRef", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseIssueRef(%q, %q): got %q, want it to say %q", tt.in, tt.org, err, tt.want)
		}
		if strings.Contains(err.Error(), "pw@") {
			t.Errorf("ParseIssueRef(%q): the error shows the URL's password: %v", tt.in, err)
		}
	}
}

func TestBaseFor(t *testing.T) {
	ref := func(base string) IssueRef { return IssueRef{Org: "acme", IssueID: "1", BaseURL: base} }
	tests := []struct {
		ref        IssueRef
		configured string
		want       string
		wantErr    string
	}{
		{ref(""), "", "https://sentry.io", ""},
		{ref(""), "https://sentry.example.com/", "https://sentry.example.com", ""},
		{ref("https://sentry.io"), "", "https://sentry.io", ""},
		{ref("https://de.sentry.io"), "", "https://de.sentry.io", ""},
		{ref("https://de.sentry.io"), "https://sentry.io", "https://de.sentry.io", ""},
		{ref("https://sentry.io"), "https://us.sentry.io", "https://us.sentry.io", ""},
		{ref("https://sentry.example.com"), "https://sentry.example.com/api/0/", "https://sentry.example.com", ""},
		{ref("https://sentry.example.com:443"), "https://sentry.example.com", "https://sentry.example.com", ""},
		{ref("https://sentry.example.com"), "", "", "SENTRY_URL=https://sentry.example.com"},
		{ref("https://evil.example"), "https://sentry.example.com", "", "never sent"},
		{ref("https://sentry.io"), "https://sentry.example.com", "", "SENTRY_URL=https://sentry.io"},
		{ref("http://sentry.internal"), "https://sentry.internal", "", "plain http"},
		{ref(""), "http://sentry.example.com", "", "plain http"},
	}
	for _, tt := range tests {
		got, err := tt.ref.BaseFor(tt.configured)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("BaseFor(%q) of %q: got %q, %v; want an error saying %q", tt.configured, tt.ref.BaseURL, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("BaseFor(%q) of %q: got %q, %v; want %q", tt.configured, tt.ref.BaseURL, got, err, tt.want)
		}
	}
	if !SameSentry("https://acme.sentry.io", "https://de.sentry.io") || SameSentry("https://sentry.io", "https://sentry.example.com") {
		t.Error("SameSentry: sentry.io hosts are one Sentry, another host is not")
	}
}

func TestNormalizeEventID(t *testing.T) {
	for in, want := range map[string]string{
		"Recommended": "recommended", " latest ": "latest", "oldest": "oldest",
		"9999AAAACA8B46D797C23C6077C6FF01":     "9999aaaaca8b46d797c23c6077c6ff01",
		"9999aaaa-ca8b-46d7-97c2-3c6077c6ff01": "9999aaaaca8b46d797c23c6077c6ff01",
	} {
		if got, err := NormalizeEventID(in); err != nil || got != want {
			t.Errorf("NormalizeEventID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "newest", "9999", "../../repos", strings.Repeat("g", 32)} {
		if got, err := NormalizeEventID(in); err == nil {
			t.Errorf("NormalizeEventID(%q) = %q, want an error", in, got)
		}
	}
}

func FuzzParseIssueRef(f *testing.F) {
	for _, s := range []string{
		"https://acme.sentry.io/issues/4512345678/?project=1", "https://sentry.io/organizations/acme/issues/1/events/latest/",
		"https://example.com/x/organizations/acme/issues/PROJ-1/events/9999aaaaca8b46d797c23c6077c6ff01/",
		"https://sentry.io/acme/proj/issues/9/", "PROJ-1A2", "123", "https://github.com/a/b/issues/1", "acme.sentry.io/issues/1",
		"https://%zz/", "http://[::1]:9/organizations/a/issues/1/", "https://a.sentry.io/issues/1/events/",
	} {
		f.Add(s, "acme")
	}
	f.Fuzz(func(t *testing.T, s, org string) {
		r, err := ParseIssueRef(s, org)
		if err != nil {
			if !errors.Is(err, ErrNotIssueRef) {
				t.Fatalf("ParseIssueRef(%q, %q): error %v does not wrap ErrNotIssueRef", s, org, err)
			}
			return
		}
		if r.Org == "" || !orgSlug.MatchString(r.Org) {
			t.Fatalf("ParseIssueRef(%q, %q) gave org %q", s, org, r.Org)
		}
		if (r.IssueID == "") == (r.ShortID == "") {
			t.Fatalf("ParseIssueRef(%q) gave issue id %q and short id %q: want exactly one", s, r.IssueID, r.ShortID)
		}
		if r.IssueID != "" && !numericID.MatchString(r.IssueID) || r.ShortID != "" && !shortID.MatchString(r.ShortID) {
			t.Fatalf("ParseIssueRef(%q) gave a malformed id: %+v", s, r)
		}
		if r.EventID != "" {
			if ev, err := NormalizeEventID(r.EventID); err != nil || ev != r.EventID {
				t.Fatalf("ParseIssueRef(%q) gave event %q that does not normalize to itself", s, r.EventID)
			}
		}
		if r.BaseURL != "" {
			if _, err := r.BaseFor(r.BaseURL); err != nil && !strings.Contains(err.Error(), "plain http") && !strings.Contains(err.Error(), "Sentry URL") {
				t.Fatalf("ParseIssueRef(%q) gave base %q that BaseFor rejects oddly: %v", s, r.BaseURL, err)
			}
		}
		// What the ref says parses back to the same ref.
		back, err := ParseIssueRef(r.String()[len(r.Org)+1:], r.Org)
		if err == nil && (back.IssueID != r.IssueID || back.ShortID != r.ShortID) && r.EventID == "" {
			t.Fatalf("ParseIssueRef(%q) = %+v does not parse back: %+v", s, r, back)
		}
	})
}
