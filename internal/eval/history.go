package eval

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// git runs git in dir (a work tree or a bare repository) and returns its
// standard output.
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	full := append([]string{"-C", dir, "-c", "core.pager=cat", "-c", "log.showSignature=false"}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return nil, fmt.Errorf("running git %s: %w: %s", strings.Join(args, " "), err, msg)
	}
	return out, nil
}

// node is one commit of the history graph.
type node struct {
	hash    string
	parents []string
	ct      int64 // committer time
}

// graph is the commit graph reachable from a ref, with committer times.
type graph struct {
	nodes  map[string]*node
	sorted []string // all hashes in byte order, for prefix lookup
}

// loadGraph reads every commit reachable from ref with its parents and
// committer time.
func loadGraph(ctx context.Context, dir, ref string) (*graph, error) {
	out, err := git(ctx, dir, "log", "--format=%H %ct %P", ref, "--")
	if err != nil {
		return nil, fmt.Errorf("reading the commit graph: %w", err)
	}
	g := &graph{nodes: map[string]*node{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		ct, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("reading the commit graph: bad time in %q", sc.Text())
		}
		g.nodes[f[0]] = &node{hash: f[0], ct: ct, parents: f[2:]}
		g.sorted = append(g.sorted, f[0])
	}
	sort.Strings(g.sorted)
	return g, nil
}

// resolve expands an abbreviated hash to the one commit of the graph that
// starts with it ("" when none or several do).
func (g *graph) resolve(prefix string) string {
	prefix = strings.ToLower(prefix)
	i := sort.SearchStrings(g.sorted, prefix)
	if i == len(g.sorted) || !strings.HasPrefix(g.sorted[i], prefix) {
		return ""
	}
	if i+1 < len(g.sorted) && strings.HasPrefix(g.sorted[i+1], prefix) {
		return ""
	}
	return g.sorted[i]
}

// ancestorsSince returns the commits reachable from start (included) whose
// committer time is at least since. The walk does not go past commits
// older than since-slack, so a clock-skewed commit can hide older ones only
// beyond that slack.
func (g *graph) ancestorsSince(start string, since, slack int64) map[string]*node {
	out := map[string]*node{}
	seen := map[string]bool{start: true}
	stack := []string{start}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := g.nodes[h]
		if n == nil {
			continue
		}
		if n.ct >= since {
			out[h] = n
		}
		if n.ct < since-slack {
			continue
		}
		for _, p := range n.parents {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	return out
}
