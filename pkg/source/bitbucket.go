package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sigsentry/sigsentry/pkg/bitbucket"
	"github.com/sigsentry/sigsentry/pkg/diffstat"
	"github.com/sigsentry/sigsentry/pkg/history"
)

// FallbackDiffstat is Change.Fallback when Bitbucket could not produce the
// full diff and the counts came from its diffstat endpoint instead.
const FallbackDiffstat = "diffstat: diff too large (HTTP 555)"

// FallbackFailed begins Change.Fallback when a commit's diff kept failing
// (a server error, an answer that is no diff, after the client's retries)
// and its counts come from the diffstat instead; the reason follows.
const FallbackFailed = "diffstat: the diff could not be read"

// FallbackNone is Change.Fallback when Bitbucket could produce neither the
// diff nor the diffstat of a commit (both too large): the commit is listed
// with no files, and callers must say that its counts are missing.
const FallbackNone = "none: diff and diffstat too large (HTTP 555)"

// FallbackCut is Change.Fallback when Bitbucket's diff of a commit came
// back cut short twice (it disagreed with the diffstat) and the counts came
// from the diffstat.
const FallbackCut = "diffstat: the diff was cut short"

// HunklessBytes is the size of a raw diff above which its hunks are not
// kept: the counts stay exact, but the commit can then be a suspect only by
// the files it touched (such diffs are generated or vendored code, and
// keeping their lines would cost gigabytes).
const HunklessBytes = 16 << 20

// Bitbucket reads one repository's history from Bitbucket Cloud. Counts are
// made locally from each commit's raw diff (one request per commit, never
// repeated: changes are cached by hash when a Cache is set); when Bitbucket
// cannot produce the diff (HTTP 555 or an over-large diff) they come from
// its diffstat.
//
// History keeps Concurrency diff requests in flight from the first page of
// the listing on: commits dated inside the window are fetched while later
// pages are still being listed, and the few whose landing time puts them
// outside the window (known once the listing ends) are dropped
// (Summary.Wasted).
type Bitbucket struct {
	client          *bitbucket.Client
	workspace, slug string
	cache           *Cache

	// Concurrency is how many diff requests are kept in flight (default
	// bitbucket.DefaultMaxInFlight; the client bounds requests across
	// repositories on its own).
	Concurrency int

	mu         sync.Mutex
	mainBranch string
}

// Cache is the source's cache, nil when it has none.
func (b *Bitbucket) Cache() *Cache { return b.cache }

// NewBitbucket returns a source for workspace/slug. mainBranch, when known
// (stored at `repos add`), saves the repository lookup. cache may be nil.
func NewBitbucket(client *bitbucket.Client, workspace, slug, mainBranch string, cache *Cache) *Bitbucket {
	return &Bitbucket{client: client, workspace: workspace, slug: slug, mainBranch: mainBranch, cache: cache}
}

// Kind is "bitbucket".
func (b *Bitbucket) Kind() string { return "bitbucket" }

// Repo is workspace/slug.
func (b *Bitbucket) Repo() string { return b.workspace + "/" + b.slug }

// DefaultRef is the repository's main branch: the stored one, else one
// repository lookup (remembered for the life of b).
func (b *Bitbucket) DefaultRef(ctx context.Context) (string, error) {
	b.mu.Lock()
	mb := b.mainBranch
	b.mu.Unlock()
	if mb != "" {
		return mb, nil
	}
	r, err := b.client.Repository(ctx, b.workspace, b.slug)
	if err != nil {
		return "", fmt.Errorf("looking up the main branch of %s: %w", b.Repo(), err)
	}
	if r.MainBranch.Name == "" {
		return "", fmt.Errorf("looking up the main branch of %s: the repository has none (is it empty?)", b.Repo())
	}
	b.mu.Lock()
	b.mainBranch = r.MainBranch.Name
	b.mu.Unlock()
	return r.MainBranch.Name, nil
}

// fetched is one change produced by a worker.
type fetched struct {
	seq     int
	change  *history.Change
	err     error
	network bool
}

// History lists the commits of ref and streams the changes of those that
// landed inside w.
func (b *Bitbucket) History(ctx context.Context, ref string, w history.Window, o Options, fn func(Item) error) (*Summary, error) {
	if ref == "" {
		r, err := b.DefaultRef(ctx)
		if err != nil {
			return nil, err
		}
		ref = r
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	conc := b.concurrency()
	var (
		mu         sync.Mutex
		lst        = history.NewListing(w.Since)
		commits    []history.Commit // by seq, as listed
		speculated = map[int]bool{}
	)
	wanted := func(c *history.Commit, t time.Time) bool { return w.Contains(t) && (o.Merges || !c.IsMerge()) }
	q := newQueue()
	results := make(chan fetched)
	// Cache entries are written off the fetching path.
	var puts chan *history.Change
	var writers sync.WaitGroup
	if b.cache != nil {
		puts = make(chan *history.Change, conc)
		for range 2 {
			writers.Add(1)
			go func() {
				defer writers.Done()
				for ch := range puts {
					b.cache.Put(ch)
				}
			}()
		}
	}
	var wg sync.WaitGroup
	// A few more workers than requests in flight, so that parsing a diff
	// seldom leaves a request slot idle (the client bounds requests
	// itself), while the diffs held at once stay about conc+2: memory is
	// bounded by that times the largest diff (Client MaxDiffBytes).
	for range conc + 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				seq, ok := q.pop(ctx)
				if !ok {
					return
				}
				mu.Lock()
				c := commits[seq]
				mu.Unlock()
				ch, network, err := b.change(ctx, c, o, puts)
				select {
				case results <- fetched{seq: seq, change: ch, err: err, network: network}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}

	// The lister: pages arrive newest first; commits dated inside the
	// window are queued at once.
	listDone := make(chan error, 1)
	go func() {
		listDone <- b.client.CommitPages(ctx, b.workspace, b.slug, ref, func(page []bitbucket.Commit) (bool, error) {
			for _, bc := range page {
				c := history.Commit{
					Repo: b.Repo(), Hash: bc.Hash, Parents: bc.Parents, Author: bc.Author,
					Date: bc.Date, Message: bc.Message,
				}
				if c.Parents == nil {
					c.Parents = []string{}
				}
				mu.Lock()
				n := lst.Len()
				more := lst.Add(c)
				added := lst.Len() > n
				seq := n
				spec := false
				if added {
					commits = append(commits, c)
					spec = wanted(&c, c.Date)
					if spec {
						speculated[seq] = true
					}
				}
				mu.Unlock()
				if spec {
					q.push(seq)
				}
				if !more {
					return false, nil
				}
			}
			return true, nil
		})
	}()

	sum := &Summary{Ref: ref}
	var (
		final   map[int]bool // seq -> in the window, once listed
		held    []fetched    // arrived before the listing ended
		pending int          // queued after the listing, not yet received
		failed  error
	)
	deliver := func(r fetched) error {
		mu.Lock()
		in := final[r.seq]
		c := commits[r.seq]
		if in {
			commits[r.seq].Message = "" // the stream owns it now
		}
		mu.Unlock()
		if !in {
			if r.network {
				sum.Wasted++
			}
			return nil
		}
		if r.err != nil {
			return r.err
		}
		if r.network {
			sum.Fetched++
		} else {
			sum.Cached++
		}
		sum.Yielded++
		return fn(Item{Seq: r.seq, Commit: c, Change: r.change})
	}
	listing := true
	for failed == nil && (listing || pending > 0) {
		if !listing {
			select {
			case r := <-results:
				pending--
				failed = deliver(r)
			case <-ctx.Done():
				// Workers stop without answering once ctx ends.
				failed = ctx.Err()
			}
			continue
		}
		select {
		case <-ctx.Done():
			failed = ctx.Err()
		case r := <-results:
			held = append(held, r)
		case err := <-listDone:
			listing = false
			if err != nil {
				failed = err
				break
			}
			mu.Lock()
			all := lst.Commits()
			final = map[int]bool{}
			var extra []int
			for i := range all {
				commits[i].Landed = all[i].Landed
				if wanted(&all[i], all[i].Landed) {
					final[i] = true
					if !speculated[i] {
						extra = append(extra, i)
					}
				}
			}
			sum.Listed = len(all)
			sum.Head = lst.Head(w.Until)
			pending = len(speculated) + len(extra) - len(held)
			mu.Unlock()
			if o.OnTotal != nil {
				o.OnTotal(len(final))
			}
			for _, seq := range extra {
				q.push(seq)
			}
			q.close()
			// What arrived while listing can be judged now.
			sort.Slice(held, func(i, j int) bool { return held[i].seq < held[j].seq })
			for _, r := range held {
				if failed = deliver(r); failed != nil {
					break
				}
			}
			held = nil
		}
	}
	cancel()
	q.close()
	go func() {
		for range results { // unblock workers still sending
		}
	}()
	wg.Wait()
	close(results)
	if puts != nil {
		close(puts)
		writers.Wait()
	}
	if listing {
		<-listDone
	}
	if err := parent.Err(); err != nil {
		return nil, err
	}
	if failed != nil {
		return nil, failed
	}
	return sum, nil
}

// change returns c's change from the cache, or fetches and parses its diff
// (and hands it to puts to be cached). network says whether a request was
// made.
func (b *Bitbucket) change(ctx context.Context, c history.Commit, o Options, puts chan<- *history.Change) (ch *history.Change, network bool, err error) {
	if b.cache != nil {
		if ch, ok := b.cache.Get(c.Hash); ok {
			if o.CountOnly {
				ch = dropLines(ch)
			}
			return ch, false, nil
		}
	}
	ch, err = b.fetch(ctx, c)
	if err != nil {
		return nil, true, err
	}
	if puts != nil && ch.Fallback == "" && ctx.Err() == nil {
		puts <- ch
	}
	if o.CountOnly {
		ch = dropLines(ch)
	}
	return ch, true, nil
}

// fetch gets the raw diff of c against its first parent and parses it.
// When the diff is too large for Bitbucket, it falls back to the diffstat
// endpoint: counts only, no hunks, and Change.Fallback says so.
func (b *Bitbucket) fetch(ctx context.Context, c history.Commit) (*history.Change, error) {
	for try := 1; ; try++ {
		raw, err := b.client.Diff(ctx, b.workspace, b.slug, c.Hash)
		if errors.Is(err, bitbucket.ErrDiffTooLarge) {
			return b.fallback(ctx, c, "")
		}
		if err != nil {
			err = fmt.Errorf("fetching the diff of %s in %s: %w", short(c.Hash), b.Repo(), err)
			if diffFault(err) && ctx.Err() == nil {
				// One commit's diff failing (the others were fine) should
				// not cost the repository: its diffstat still counts it.
				if entries, serr := b.client.Diffstat(ctx, b.workspace, b.slug, c.Hash); serr == nil {
					return &history.Change{Hash: c.Hash, Files: diffstatFiles(entries), Fallback: FallbackFailed + " (" + faultReason(err) + ")"}, nil
				}
			}
			return nil, err
		}
		opts := diffstat.Options{}
		if len(raw.Body) > HunklessBytes {
			opts.NoLines = true
		}
		files, err := diffstat.ParseOptions(raw.Body, opts)
		if err != nil {
			return nil, fmt.Errorf("parsing the diff of %s in %s: %w", short(c.Hash), b.Repo(), err)
		}
		if files == nil {
			files = []diffstat.File{}
		}
		if len(raw.Body) > HunklessBytes {
			for i := range files {
				files[i].Hunks = nil
			}
		}
		ch := &history.Change{Hash: c.Hash, Files: files}
		if raw.Framed && len(raw.Body) > 0 {
			return ch, nil
		}
		// An empty diff, or one whose end only the closed connection
		// marked, may be a page cut short at a file boundary: it must
		// agree with the diffstat before it is counted or cached.
		entries, err := b.client.Diffstat(ctx, b.workspace, b.slug, c.Hash)
		if errors.Is(err, bitbucket.ErrDiffTooLarge) {
			return ch, nil // nothing to check against; Bitbucket gave this diff
		}
		if err != nil {
			return nil, fmt.Errorf("checking the diff of %s in %s against its diffstat: %w", short(c.Hash), b.Repo(), err)
		}
		if why := disagree(files, entries); why == "" {
			return ch, nil
		} else if try >= 2 {
			// Twice cut short: count from the diffstat (not cached).
			return b.fallback(ctx, c, why)
		}
	}
}

// diffFault reports whether a diff request failed in a way that concerns
// that one answer (a server error, or a 200 that is no diff, after the
// retries) rather than the repository or the account (401, 403, 404, 429).
func diffFault(err error) bool {
	var nd *bitbucket.NotDiffError
	return errors.As(err, &nd) || errors.Is(err, bitbucket.ErrServer) && !errors.Is(err, bitbucket.ErrDiffTooLarge)
}

// faultReason is a short why for a diff fault: its HTTP status, or that
// the answer was no diff.
func faultReason(err error) string {
	var api *bitbucket.APIError
	if errors.As(err, &api) {
		return fmt.Sprintf("HTTP %d", api.StatusCode)
	}
	return "the answer was not a diff"
}

// disagree says how a parsed diff differs from the diffstat of the same
// commit ("" when the file count and line totals agree).
func disagree(files []diffstat.File, entries []bitbucket.DiffstatEntry) string {
	if len(files) != len(entries) {
		return fmt.Sprintf("the diff holds %d files, its diffstat %d", len(files), len(entries))
	}
	var fa, fr, ea, er int
	for _, f := range files {
		if !f.Binary {
			fa += f.LinesAdded
			fr += f.LinesRemoved
		}
	}
	for _, e := range entries {
		if !e.Binary {
			ea += e.LinesAdded
			er += e.LinesRemoved
		}
	}
	if fa != ea || fr != er {
		return fmt.Sprintf("the diff has +%d -%d lines, its diffstat +%d -%d", fa, fr, ea, er)
	}
	return ""
}

// fallback counts c from Bitbucket's diffstat: its diff is too large, or
// (why) it came back cut short twice.
func (b *Bitbucket) fallback(ctx context.Context, c history.Commit, why string) (*history.Change, error) {
	entries, err := b.client.Diffstat(ctx, b.workspace, b.slug, c.Hash)
	if errors.Is(err, bitbucket.ErrDiffTooLarge) {
		return &history.Change{Hash: c.Hash, Files: []diffstat.File{}, Fallback: FallbackNone}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fetching the diffstat of %s in %s (its diff is too large): %w", short(c.Hash), b.Repo(), err)
	}
	fb := FallbackDiffstat
	if why != "" {
		fb = FallbackCut + " (" + why + ")"
	}
	return &history.Change{Hash: c.Hash, Files: diffstatFiles(entries), Fallback: fb}, nil
}

// diffstatFiles turns Bitbucket's diffstat entries into file entries.
func diffstatFiles(entries []bitbucket.DiffstatEntry) []diffstat.File {
	files := make([]diffstat.File, 0, len(entries))
	for _, e := range entries {
		f := diffstat.File{
			Path:         e.NewPath,
			Status:       diffstat.Status(e.Status),
			Binary:       e.Binary,
			LinesAdded:   e.LinesAdded,
			LinesRemoved: e.LinesRemoved,
		}
		switch f.Status {
		case diffstat.Removed:
			f.Path = e.OldPath
		case diffstat.Renamed:
			f.OldPath = e.OldPath
		}
		if f.Path == "" {
			f.Path = e.OldPath
		}
		files = append(files, f)
	}
	return files
}

// dropLines returns ch without hunks (their line text is what costs
// memory); the counts stay.
func dropLines(ch *history.Change) *history.Change {
	out := &history.Change{Hash: ch.Hash, Fallback: ch.Fallback, Files: make([]diffstat.File, len(ch.Files))}
	copy(out.Files, ch.Files)
	for i := range out.Files {
		out.Files[i].Hunks = nil
	}
	return out
}

// queue is an unbounded FIFO of listing positions shared by the lister and
// the workers.
type queue struct {
	mu     sync.Mutex
	items  []int
	closed bool
	ready  chan struct{} // signalled (non-blocking) on push and close
}

func newQueue() *queue { return &queue{ready: make(chan struct{}, 1)} }

func (q *queue) push(seq int) {
	q.mu.Lock()
	q.items = append(q.items, seq)
	q.mu.Unlock()
	q.signal()
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *queue) signal() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// pop returns the next item, waiting for one; ok is false once the queue
// is closed and empty, or ctx is done.
func (q *queue) pop(ctx context.Context) (int, bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			seq := q.items[0]
			q.items = q.items[1:]
			more := len(q.items) > 0 || q.closed
			q.mu.Unlock()
			if more {
				q.signal() // wake another worker
			}
			return seq, true
		}
		closed := q.closed
		q.mu.Unlock()
		if closed {
			q.signal()
			return 0, false
		}
		select {
		case <-q.ready:
		case <-ctx.Done():
			return 0, false
		}
	}
}

// MaxTreeEntries caps the repository trees Tree lists: 5,000 files and
// folders are 50 requests of Bitbucket's hourly 1,000. A larger tree is not
// listed (one request says so), and frames map among the window's touched
// files, as they did without a tree.
const MaxTreeEntries = 5000

// treeKey is the cache's name for a commit's file list: no file of a
// repository can be named so.
const treeKey = "\x00tree"

// largeTreeKey is the cache's name for knowing that a commit's tree is
// over MaxTreeEntries.
const largeTreeKey = "\x00tree too large"

// Tree lists every file path at commit rev (a full hash), read once per
// commit: Bitbucket's recursive listing of the root, 100 entries a
// request, then the cache. It fails for a tree over MaxTreeEntries
// entries.
func (b *Bitbucket) Tree(ctx context.Context, rev string) ([]string, error) {
	if b.cache != nil {
		if data, ok := b.cache.GetFile(rev, treeKey); ok {
			if len(data) == 0 {
				return []string{}, nil
			}
			return strings.Split(string(data), "\x00"), nil
		}
	}
	if b.cache != nil {
		if _, ok := b.cache.GetFile(rev, largeTreeKey); ok {
			return nil, fmt.Errorf("listing the tree at %s: %w (known from an earlier run)", short(rev), bitbucket.ErrTreeTooLarge)
		}
	}
	paths, err := b.client.Tree(ctx, b.workspace, b.slug, rev, MaxTreeEntries)
	if errors.Is(err, bitbucket.ErrTreeTooLarge) && b.cache != nil {
		b.cache.PutFile(rev, largeTreeKey, nil) // a commit's tree never shrinks
	}
	if err != nil {
		return nil, err
	}
	if b.cache != nil {
		b.cache.PutFile(rev, treeKey, []byte(strings.Join(paths, "\x00")))
	}
	return paths, nil
}

// ReadFiles returns the contents of paths at commit rev (a full hash), one
// request per file not yet cached, a few at a time. A path missing at rev,
// or over bitbucket.MaxFileBytes, is left out of the map; another failure
// (a rate limit, a server fault) leaves that file out too, and the first
// such failure is returned along with the files that could be read.
func (b *Bitbucket) ReadFiles(ctx context.Context, rev string, paths []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(paths))
	var ask []string
	for _, p := range paths {
		if b.cache != nil {
			if data, ok := b.cache.GetFile(rev, p); ok {
				out[p] = data
				continue
			}
		}
		ask = append(ask, p)
	}
	first, err := b.fetchEach(ctx, rev, ask, func(p string, data []byte, err error) {
		if err == nil {
			out[p] = data
		}
	})
	if err != nil {
		return nil, err
	}
	return out, first
}

// fetchEach requests the contents of each of paths at commit rev, a few at
// a time, caches every file read, and hands every answer to settle, one at
// a time. It returns the first failure other than a missing or too large
// file (a rate limit, a server fault), and the context's error when it
// ended first.
func (b *Bitbucket) fetchEach(ctx context.Context, rev string, paths []string, settle func(path string, data []byte, err error)) (first, ctxErr error) {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	sem := make(chan struct{}, max(1, min(b.concurrency(), len(paths))))
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			data, err := b.client.FileContents(ctx, b.workspace, b.slug, rev, p)
			if err == nil && b.cache != nil {
				b.cache.PutFile(rev, p, data)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil && !errors.Is(err, bitbucket.ErrNotFound) && !errors.Is(err, bitbucket.ErrFileTooLarge) {
				first = err
			}
			settle(p, data, err)
		}()
	}
	wg.Wait()
	return first, ctx.Err()
}

// missingKey is the cache's name for knowing that path is missing at a
// commit: no file of a repository can be named so.
func missingKey(path string) string { return "\x00missing\x00" + path }

// Probe returns those of paths that exist at commit rev (a full hash), for
// a tree too large to list: one request per path not yet known, which
// reads the file (cached for ReadFiles) or learns that it is missing (cached
// too: nothing changes at a commit). A file over bitbucket.MaxFileBytes
// exists. Another failure leaves the path out, and the first one is
// returned along with the paths found.
func (b *Bitbucket) Probe(ctx context.Context, rev string, paths []string) ([]string, error) {
	var ask []string
	known := map[string]bool{}
	for _, p := range paths {
		if b.cache != nil {
			if _, ok := b.cache.GetFile(rev, p); ok {
				known[p] = true
				continue
			}
			if _, ok := b.cache.GetFile(rev, missingKey(p)); ok {
				continue
			}
		}
		ask = append(ask, p)
	}
	first, err := b.fetchEach(ctx, rev, ask, func(p string, data []byte, err error) {
		switch {
		case err == nil, errors.Is(err, bitbucket.ErrFileTooLarge):
			known[p] = true
		case errors.Is(err, bitbucket.ErrNotFound) && b.cache != nil:
			b.cache.PutFile(rev, missingKey(p), nil)
		}
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range paths {
		if known[p] {
			out = append(out, p)
			delete(known, p) // once
		}
	}
	return out, first
}

// MaxDefinitionReads caps the files DefinitionsIn reads for one analysis:
// one request each, cached by commit.
const MaxDefinitionReads = 64

// DefinitionsIn reads the first MaxDefinitionReads C, C++, Go, Python, Rust
// and assembly files of paths at commit rev (one request per file not yet
// cached) and maps each of idents to those that define it, by the same
// rules as Local.Definitions. Files that cannot be read define nothing;
// the first failure to read one is returned along with what the others
// define.
func (b *Bitbucket) DefinitionsIn(ctx context.Context, rev string, idents, paths []string) (map[string][]string, error) {
	out := map[string][]string{}
	want := map[string]bool{}
	for _, id := range idents {
		if isIdent(id) {
			want[id] = true
		}
	}
	var read []string
	seen := map[string]bool{}
	for _, p := range paths {
		if !seen[p] && definitionFile(p) && len(read) < MaxDefinitionReads {
			seen[p] = true
			read = append(read, p)
		}
	}
	if len(want) == 0 || len(read) == 0 {
		return out, nil
	}
	files, err := b.ReadFiles(ctx, rev, read)
	if files == nil {
		return nil, err
	}
	for _, p := range read {
		if data, ok := files[p]; ok {
			for id := range definedIn(p, data, want) {
				out[id] = append(out[id], p)
			}
		}
	}
	for id, list := range out {
		out[id] = dropHeaders(list)
	}
	return out, err
}

// definedIn lists which of want the lines of data define.
func definedIn(path string, data []byte, want map[string]bool) map[string]bool {
	var out map[string]bool
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if id := definedIdent(path, string(line), want); id != "" {
			if out == nil {
				out = map[string]bool{}
			}
			out[id] = true
		}
	}
	return out
}

// concurrency is how many requests b keeps in flight.
func (b *Bitbucket) concurrency() int {
	if b.Concurrency > 0 {
		return b.Concurrency
	}
	return bitbucket.DefaultMaxInFlight
}
