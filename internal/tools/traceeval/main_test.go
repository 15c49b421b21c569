package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/sigsentry/sigsentry/internal/tools/traceeval/harness"
)

func TestMatchCase(t *testing.T) {
	c := harness.Case{Repo: "acme/frob", Fix: "0123456789abcdef0123456789abcdef01234567"}
	for sel, want := range map[string]bool{
		"":                 true,
		"acme/frob":        true,
		"acme/other":       false,
		"acme/frob@012345": true,
		"acme/frob@99":     false,
		"0123":             true,
		"4567":             false,
	} {
		if got := matchCase(c, sel); got != want {
			t.Errorf("matchCase(%q) = %v", sel, got)
		}
	}
}

func TestRunUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"run"},
		{"run", "-clones", "x", "-bin", "y", "-half", "middle"},
		{"run", "-clones", "x", "-bin", "y", "-windows", "30,0"},
		{"run", "-clones", "x", "-bin", "/nonexistent/sigsentry"},
		{"discover"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		if err == nil {
			t.Errorf("%q: no error", args)
		} else if strings.ContainsAny(err.Error()[:1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Errorf("%q: message not lower-case: %v", args, err)
		}
	}
}

func TestCommittedManifestReads(t *testing.T) {
	cases, err := readManifest("cases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	repos := map[string]int{}
	for _, c := range cases {
		repos[c.Repo]++
	}
	if len(cases) < 40 || len(repos) < 8 {
		t.Errorf("the case set has %d cases from %d repositories; the evaluation wants at least 40 from 8", len(cases), len(repos))
	}
	for _, excluded := range []string{"openvswitch/ovs", "ovn-org/ovn", "NetworkManager/NetworkManager", "DPDK/dpdk",
		"linux-rdma/rdma-core", "iproute2/iproute2", "FRRouting/frr", "moby/moby", "checkpoint-restore/criu",
		"bluez/bluez", "kdave/btrfs-progs", "opencontainers/runc"} {
		if repos[excluded] > 0 {
			t.Errorf("%s belongs to the independent benchmark and must not be used", excluded)
		}
	}
}
