package signal

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// nativeCase is one real crash report: a program from
// testdata/native/src, how to build it, how to run it (directly, under
// Valgrind, gdb or lldb), and where its capture goes. want lists, for the
// live test, the crash frames the parsed report must hold.
type nativeCase struct {
	name  string // capture file testdata/<dir>/<name>.txt
	dir   string
	build nativeBuild
	run   []string // "{bin}" is the built program; empty: run it alone
	args  []string // program arguments
	env   []string
	// stdoutOnly drops the tool's stderr (lldb prints a Python import
	// error of the Debian package there).
	stdoutOnly bool
	live       bool // rerun by TestNativeLive
	want       []wantFrame
}

// nativeBuild compiles sources (relative to the build directory wd, itself
// relative to the scratch root) with cc and flags into bin.
type nativeBuild struct {
	cc    string
	flags []string
	srcs  []string
	bin   string
	wd    string // "" is src
	strip bool
}

// wantFrame is the first in-app frame expected in a stack: its file's base
// name, the line holding marker in that file, and its function.
type wantFrame struct {
	stack    int
	file     string
	marker   string
	function string
}

const (
	cFlags      = "-g -O0 -fno-omit-frame-pointer"
	gdbRun      = "gdb -q -nx -batch -ex run -ex bt {bin}"
	lldbRun     = "lldb --no-lldbinit -o run -o bt -o quit {bin}"
	memcheckRun = "valgrind --tool=memcheck {bin}"
)

func b(cc, flags string, bin string, srcs ...string) nativeBuild {
	return nativeBuild{cc: cc, flags: strings.Fields(flags), srcs: srcs, bin: bin}
}

func w(stack int, file, marker, function string) wantFrame {
	return wantFrame{stack: stack, file: file, marker: marker, function: function}
}

var nativeCases = []nativeCase{
	// AddressSanitizer.
	{name: "uaf_gcc", dir: "asan", build: b("gcc", cFlags+" -fsanitize=address", "uaf_asan_gcc", "uaf.c"), live: true,
		want: []wantFrame{w(0, "uaf.c", "@crash", "session_id"), w(1, "uaf.c", "@free", "close_session"), w(2, "uaf.c", "@alloc", "open_session")}},
	{name: "uaf_clang", dir: "asan", build: b("clang", cFlags+" -fsanitize=address", "uaf_asan_clang", "uaf.c"),
		want: []wantFrame{w(0, "uaf.c", "@crash", "session_id"), w(1, "uaf.c", "@free", "close_session"), w(2, "uaf.c", "@alloc", "open_session")}},
	{name: "uaf_clang_color", dir: "asan", build: b("clang", cFlags+" -fsanitize=address", "uaf_asan_clang", "uaf.c"), env: []string{"ASAN_OPTIONS=color=always"},
		want: []wantFrame{w(0, "uaf.c", "@crash", "session_id"), w(1, "uaf.c", "@free", "close_session")}},
	{name: "heap_overflow_gcc", dir: "asan", build: b("gcc", cFlags+" -fsanitize=address", "heap_overflow_asan_gcc", "heap_overflow.c"),
		want: []wantFrame{w(0, "heap_overflow.c", "@crash", "fill_table"), w(1, "heap_overflow.c", "@alloc", "make_table")}},
	{name: "heap_overflow_clang", dir: "asan", build: b("clang", cFlags+" -fsanitize=address", "heap_overflow_asan_clang", "heap_overflow.c"),
		want: []wantFrame{w(0, "heap_overflow.c", "@crash", "fill_table"), w(1, "heap_overflow.c", "@alloc", "make_table")}},
	{name: "stack_overflow_gcc", dir: "asan", build: b("gcc", cFlags+" -fsanitize=address", "stack_overflow_asan_gcc", "stack_overflow.c"),
		want: []wantFrame{w(0, "stack_overflow.c", "@crash", "copy_name")}},
	{name: "stack_overflow_clang", dir: "asan", build: b("clang", cFlags+" -fsanitize=address", "stack_overflow_asan_clang", "stack_overflow.c"),
		want: []wantFrame{w(0, "stack_overflow.c", "@crash", "copy_name")}},
	{name: "global_overflow_gcc", dir: "asan", build: b("gcc", cFlags+" -fsanitize=address", "global_overflow_asan_gcc", "global_overflow.c"),
		want: []wantFrame{w(0, "global_overflow.c", "@crash", "nth_prime")}},
	{name: "null_deref_clang", dir: "asan", build: b("clang", cFlags+" -fsanitize=address", "null_deref_asan_clang", "null_deref.c"), live: true,
		want: []wantFrame{w(0, "null_deref.c", "@crash", "config_port")}},
	{name: "null_deref_gcc", dir: "asan", build: b("gcc", cFlags+" -fsanitize=address", "null_deref_asan_gcc", "null_deref.c"),
		want: []wantFrame{w(0, "null_deref.c", "@crash", "config_port")}},
	{name: "double_free_clang", dir: "asan", build: b("clang", cFlags+" -fsanitize=address", "double_free_asan_clang", "double_free.c"),
		want: []wantFrame{w(0, "double_free.c", "@crash", "release_buffer"), w(2, "double_free.c", "@alloc", "process")}},
	{name: "double_free_gcc", dir: "asan", build: b("gcc", cFlags+" -fsanitize=address", "double_free_asan_gcc", "double_free.c"),
		want: []wantFrame{w(0, "double_free.c", "@crash", "release_buffer"), w(2, "double_free.c", "@alloc", "process")}},
	{name: "use_after_return_clang", dir: "asan", build: b("clang", cFlags+" -fsanitize=address", "use_after_return_asan_clang", "use_after_return.c"),
		env: []string{"ASAN_OPTIONS=detect_stack_use_after_return=1"}, want: []wantFrame{w(0, "use_after_return.c", "@crash", "recall")}},
	{name: "grid_clang", dir: "asan", build: b("clang++", cFlags+" -fsanitize=address", "grid_asan_clang", "grid.cpp"), live: true,
		want: []wantFrame{w(0, "grid.cpp", "@crash", "(anonymous namespace)::Summer::operator()"), w(1, "grid.cpp", "@free", "geo::Grid<int>::add_row")}},
	{name: "grid_gcc", dir: "asan", build: b("g++", cFlags+" -fsanitize=address", "grid_asan_gcc", "grid.cpp"),
		want: []wantFrame{w(0, "grid.cpp", "@crash", "operator()"), w(1, "grid.cpp", "@free", "geo::Grid<int>::add_row")}},
	{name: "mismatch_clang", dir: "asan", build: b("clang++", cFlags+" -fsanitize=address", "mismatch_asan_clang", "mismatch.cpp"),
		want: []wantFrame{w(0, "mismatch.cpp", "@crash", "io::Buffer::~Buffer"), w(1, "mismatch.cpp", "@alloc", "io::Buffer::Buffer")}},
	{name: "inline_clang_O2", dir: "asan", build: b("clang", "-g -O2 -fsanitize=address", "inline_asan_clang", "inline.c"),
		want: []wantFrame{w(0, "inline.c", "@crash", "byte_at")}},
	{name: "proj_builddir_gcc", dir: "asan", build: nativeBuild{cc: "gcc", flags: strings.Fields(cFlags + " -fsanitize=address"), srcs: []string{"../lib/ring.c", "../app/main.c"}, bin: "ring_asan_gcc", wd: "proj/build"},
		want: []wantFrame{w(0, "ring.c", "@crash", "ring_push"), w(1, "ring.c", "@alloc", "ring_new")}},

	// LeakSanitizer.
	{name: "leak_gcc", dir: "lsan", build: b("gcc", cFlags+" -fsanitize=leak", "leak_lsan_gcc", "leak.c"), live: true,
		want: []wantFrame{w(0, "leak.c", "@crash", "new_node")}},
	{name: "leak_clang", dir: "lsan", build: b("clang", cFlags+" -fsanitize=leak", "leak_lsan_clang", "leak.c"),
		want: []wantFrame{w(0, "leak.c", "@crash", "new_node")}},
	{name: "leak_asan_clang", dir: "lsan", build: b("clang", cFlags+" -fsanitize=address", "leak_asan_clang", "leak.c"),
		want: []wantFrame{w(0, "leak.c", "@crash", "new_node")}},

	// MemorySanitizer.
	{name: "uninit_clang", dir: "msan", build: b("clang", cFlags+" -fsanitize=memory -fsanitize-memory-track-origins", "uninit_msan_clang", "uninit.c"), live: true,
		want: []wantFrame{w(0, "uninit.c", "@crash", "best_score"), w(1, "uninit.c", "@alloc", "make_scores")}},
	{name: "uninit_stack_clang", dir: "msan", build: b("clang", cFlags+" -fsanitize=memory -fsanitize-memory-track-origins=2", "uninit_stack_msan_clang", "uninit_stack.c"),
		want: []wantFrame{w(0, "uninit_stack.c", "@crash", "apply_flags")}},
	{name: "uninit_clang_no_origins", dir: "msan", build: b("clang", cFlags+" -fsanitize=memory", "uninit_msan_clang_noorig", "uninit.c"),
		want: []wantFrame{w(0, "uninit.c", "@crash", "best_score")}},

	// ThreadSanitizer.
	{name: "race_clang", dir: "tsan", build: b("clang", cFlags+" -fsanitize=thread", "race_tsan_clang", "race.c"), live: true,
		want: []wantFrame{w(0, "race.c", "@crash", "worker"), w(1, "race.c", "@crash", "worker")}},
	{name: "race_gcc", dir: "tsan", build: b("gcc", cFlags+" -fsanitize=thread", "race_tsan_gcc", "race.c"),
		want: []wantFrame{w(0, "race.c", "@crash", "worker"), w(1, "race.c", "@crash", "worker")}},
	{name: "lockorder_clang", dir: "tsan", build: b("clang", cFlags+" -fsanitize=thread", "lockorder_tsan_clang", "lockorder.c"),
		want: []wantFrame{w(0, "lockorder.c", "@first", "transfer"), w(1, "lockorder.c", "@crash", "report")}},

	// UndefinedBehaviorSanitizer.
	{name: "overflow_clang", dir: "ubsan", build: b("clang", cFlags+" -fsanitize=undefined", "ubsan_clang", "ubsan.c"),
		want: []wantFrame{w(0, "ubsan.c", "@overflow", "")}},
	{name: "all_clang_stack", dir: "ubsan", build: b("clang", cFlags+" -fsanitize=undefined", "ubsan_clang", "ubsan.c"), args: []string{"all"},
		env: []string{"UBSAN_OPTIONS=print_stacktrace=1"}, live: true, want: []wantFrame{w(0, "ubsan.c", "@overflow", "add_total")}},
	{name: "all_gcc_stack", dir: "ubsan", build: b("gcc", cFlags+" -fsanitize=undefined", "ubsan_gcc", "ubsan.c"), args: []string{"all"},
		env: []string{"UBSAN_OPTIONS=print_stacktrace=1"}, want: []wantFrame{w(0, "ubsan.c", "@overflow", "add_total")}},
	{name: "null_gcc", dir: "ubsan", build: b("gcc", cFlags+" -fsanitize=undefined", "ubsan_gcc", "ubsan.c"), args: []string{"null"},
		want: []wantFrame{w(0, "ubsan.c", "@null", "")}},
	{name: "shift_clang_color", dir: "ubsan", build: b("clang", cFlags+" -fsanitize=undefined", "ubsan_clang", "ubsan.c"), args: []string{"shift"},
		env: []string{"UBSAN_OPTIONS=color=always:print_stacktrace=1"}, want: []wantFrame{w(0, "ubsan.c", "@shift", "shift_mask")}},
	{name: "index_clang_abort", dir: "ubsan", build: b("clang", cFlags+" -fsanitize=undefined -fno-sanitize-recover=all", "ubsan_clang_abort", "ubsan.c"), args: []string{"index"},
		env: []string{"UBSAN_OPTIONS=print_stacktrace=1"}, want: []wantFrame{w(0, "ubsan.c", "@index", "pick")}},

	// Valgrind.
	{name: "memcheck_uaf", dir: "valgrind", build: b("gcc", cFlags, "uaf", "uaf.c"), run: strings.Fields(memcheckRun), live: true,
		want: []wantFrame{w(0, "uaf.c", "@crash", "session_id"), w(1, "uaf.c", "@free", "close_session"), w(2, "uaf.c", "@alloc", "open_session")}},
	{name: "memcheck_heap_overflow", dir: "valgrind", build: b("gcc", cFlags, "heap_overflow", "heap_overflow.c"), run: strings.Fields(memcheckRun),
		want: []wantFrame{w(0, "heap_overflow.c", "@crash", "fill_table"), w(1, "heap_overflow.c", "@alloc", "make_table")}},
	{name: "memcheck_null_deref", dir: "valgrind", build: b("gcc", cFlags, "null_deref", "null_deref.c"), run: strings.Fields(memcheckRun),
		want: []wantFrame{w(0, "null_deref.c", "@crash", "config_port")}},
	{name: "memcheck_leak", dir: "valgrind", build: b("gcc", cFlags, "leak", "leak.c"), run: strings.Fields("valgrind --leak-check=full {bin}"),
		want: []wantFrame{w(0, "leak.c", "@crash", "new_node")}},
	{name: "memcheck_uninit", dir: "valgrind", build: b("gcc", cFlags, "uninit", "uninit.c"), run: strings.Fields("valgrind --track-origins=yes {bin}"),
		want: []wantFrame{w(0, "uninit.c", "@crash", "best_score"), w(1, "uninit.c", "@alloc", "make_scores")}},
	{name: "memcheck_mismatch", dir: "valgrind", build: b("g++", cFlags, "mismatch", "mismatch.cpp"), run: strings.Fields(memcheckRun),
		want: []wantFrame{w(0, "mismatch.cpp", "@crash", "io::Buffer::~Buffer"), w(1, "mismatch.cpp", "@alloc", "io::Buffer::Buffer")}},
	{name: "memcheck_double_free", dir: "valgrind", build: b("gcc", cFlags, "double_free", "double_free.c"), run: strings.Fields(memcheckRun),
		want: []wantFrame{w(0, "double_free.c", "@crash", "release_buffer"), w(1, "double_free.c", "@crash", "release_buffer")}},
	{name: "helgrind_race", dir: "valgrind", build: b("gcc", cFlags+" -pthread", "race", "race.c"), run: strings.Fields("valgrind --tool=helgrind {bin}"), live: true,
		want: []wantFrame{w(0, "race.c", "@crash", "worker"), w(1, "race.c", "@crash", "worker")}},
	{name: "helgrind_lockorder", dir: "valgrind", build: b("gcc", cFlags+" -pthread", "lockorder", "lockorder.c"), run: strings.Fields("valgrind --tool=helgrind {bin}"),
		want: []wantFrame{w(0, "lockorder.c", "@report", "report")}},

	// GDB.
	{name: "null_deref_bt", dir: "gdb", build: b("gcc", cFlags, "null_deref", "null_deref.c"), run: strings.Fields(gdbRun),
		want: []wantFrame{w(0, "null_deref.c", "@crash", "config_port")}},
	{name: "null_deref_bt_full", dir: "gdb", build: b("gcc", cFlags, "null_deref", "null_deref.c"), run: strings.Fields("gdb -q -nx -batch -ex run -ex \"bt full\" {bin}"),
		want: []wantFrame{w(0, "null_deref.c", "@crash", "config_port")}},
	{name: "inlined_O2", dir: "gdb", build: b("gcc", "-g -O2", "inline_null_O2", "inline_null.c"), run: strings.Fields(gdbRun),
		want: []wantFrame{w(0, "inline_null.c", "@crash", "weight")}},
	{name: "null_deref_stripped", dir: "gdb", build: nativeBuild{cc: "gcc", flags: []string{"-O0"}, srcs: []string{"null_deref.c"}, bin: "null_deref_stripped", strip: true}, run: strings.Fields(gdbRun)},
	{name: "threads_all_bt", dir: "gdb", build: b("gcc", cFlags+" -pthread", "threads", "threads.c"), run: strings.Fields("gdb -q -nx -batch -ex run -ex \"thread apply all bt\" {bin}"), live: true,
		want: []wantFrame{w(0, "threads.c", "@crash", "parse_record")}},
	{name: "assert_bt", dir: "gdb", build: b("gcc", cFlags, "assert", "assert.c"), run: strings.Fields(gdbRun),
		want: []wantFrame{w(0, "assert.c", "@crash", "push")}},
	{name: "throw_bt", dir: "gdb", build: b("g++", cFlags, "throw", "throw.cpp"), run: strings.Fields(gdbRun),
		want: []wantFrame{w(0, "throw.cpp", "@crash", "shop::Order::item")}},
	{name: "smash_bt", dir: "gdb", build: b("gcc", cFlags+" -fstack-protector-all", "smash", "smash.c"), run: strings.Fields(gdbRun),
		want: []wantFrame{w(0, "smash.c", "@crash", "save_label")}},

	// LLDB.
	{name: "null_deref_bt", dir: "lldb", build: b("clang", cFlags, "null_deref_clang", "null_deref.c"), run: strings.Fields(lldbRun), stdoutOnly: true, live: true,
		want: []wantFrame{w(0, "null_deref.c", "@crash", "config_port")}},
	{name: "threads_bt_all", dir: "lldb", build: b("clang", cFlags+" -pthread", "threads_clang", "threads.c"), run: strings.Fields("lldb --no-lldbinit -o run -o \"thread backtrace all\" -o quit {bin}"), stdoutOnly: true,
		want: []wantFrame{w(0, "threads.c", "@crash", "parse_record")}},
	{name: "throw_bt", dir: "lldb", build: b("clang++", cFlags, "throw_clang", "throw.cpp"), run: strings.Fields(lldbRun), stdoutOnly: true,
		want: []wantFrame{w(0, "throw.cpp", "@crash", "shop::Order::item")}},
	{name: "inlined_O2", dir: "lldb", build: b("clang", "-g -O2", "inline_null_O2_clang", "inline_null.c"), run: strings.Fields(lldbRun), stdoutOnly: true,
		want: []wantFrame{w(0, "inline_null.c", "@crash", "weight")}},
	{name: "assert_bt", dir: "lldb", build: b("clang", cFlags, "assert_clang", "assert.c"), run: strings.Fields(lldbRun), stdoutOnly: true,
		want: []wantFrame{w(0, "assert.c", "@crash", "push")}},

	// glibc.
	{name: "backtrace_symbols", dir: "glibc", build: b("gcc", cFlags+" -rdynamic", "backtrace", "backtrace.c"), live: true,
		want: []wantFrame{w(0, "", "", "store")}},
	{name: "assert", dir: "glibc", build: b("gcc", cFlags, "assert", "assert.c"), live: true,
		want: []wantFrame{w(0, "assert.c", "@crash", "push")}},
	{name: "stack_smashing", dir: "glibc", build: b("gcc", cFlags+" -fstack-protector-all", "smash", "smash.c")},
	{name: "double_free", dir: "glibc", build: b("gcc", cFlags, "double_free", "double_free.c")},
	{name: "terminate", dir: "glibc", build: b("g++", cFlags, "throw", "throw.cpp")},

	// Rust.
	{name: "parse_no_backtrace", dir: "rust", build: b("rustc", "-g", "parse_rs", "parse.rs"),
		want: []wantFrame{w(0, "parse.rs", "@crash", "")}},
	{name: "parse_backtrace", dir: "rust", build: b("rustc", "-g", "parse_rs", "parse.rs"), env: []string{"RUST_BACKTRACE=1"}, live: true,
		want: []wantFrame{w(0, "parse.rs", "@crash", "parse::config::parse_port")}},
	{name: "parse_backtrace_full", dir: "rust", build: b("rustc", "-g", "parse_rs", "parse.rs"), env: []string{"RUST_BACKTRACE=full"},
		want: []wantFrame{w(0, "parse.rs", "@crash", "parse::config::parse_port")}},
	{name: "index_backtrace", dir: "rust", build: b("rustc", "-g", "index_rs", "index.rs"), env: []string{"RUST_BACKTRACE=1"},
		want: []wantFrame{w(0, "index.rs", "@crash", "index::Ring<T>::next")}},
	{name: "thread_backtrace", dir: "rust", build: b("rustc", "-g", "thread_rs", "thread.rs"), env: []string{"RUST_BACKTRACE=1"},
		want: []wantFrame{w(0, "thread.rs", "@crash", "thread::check_balance")}},
}

// nativeRoot is a scratch tree holding a copy of testdata/native/src and
// the programs built from it.
type nativeRoot struct {
	dir   string
	mu    sync.Mutex
	built map[string]*buildResult
}

type buildResult struct {
	once sync.Once
	err  error
}

func newNativeRoot(t testing.TB, dir string) *nativeRoot {
	t.Helper()
	if err := copyTree(filepath.Join("testdata", "native", "src"), filepath.Join(dir, "src")); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"bin", "src/proj/build"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &nativeRoot{dir: dir, built: map[string]*buildResult{}}
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

// tools returns the programs a case needs.
func (c nativeCase) tools() []string {
	tools := []string{c.build.cc}
	if len(c.run) > 0 {
		tools = append(tools, c.run[0])
	}
	if c.build.strip {
		tools = append(tools, "strip")
	}
	return tools
}

// build compiles a case's program once per root.
func (r *nativeRoot) build(ctx context.Context, nb nativeBuild) error {
	r.mu.Lock()
	br := r.built[nb.bin]
	if br == nil {
		br = &buildResult{}
		r.built[nb.bin] = br
	}
	r.mu.Unlock()
	br.once.Do(func() {
		wd := filepath.Join(r.dir, "src", filepath.FromSlash(nb.wd))
		args := append(append([]string{}, nb.flags...), nb.srcs...)
		out := filepath.Join(r.dir, "bin", nb.bin)
		args = append(args, "-o", out)
		if nb.cc != "rustc" {
			args = append(args, "-lpthread")
		}
		cmd := exec.CommandContext(ctx, nb.cc, args...)
		cmd.Dir = wd
		if msg, err := cmd.CombinedOutput(); err != nil {
			br.err = fmt.Errorf("%s %s: %v\n%s", nb.cc, strings.Join(args, " "), err, msg)
			return
		}
		if nb.strip {
			if msg, err := exec.CommandContext(ctx, "strip", out).CombinedOutput(); err != nil {
				br.err = fmt.Errorf("strip: %v\n%s", err, msg)
			}
		}
	})
	return br.err
}

// capture builds and runs a case and returns what it printed. The program
// is expected to fail; its exit status is not checked.
func (r *nativeRoot) capture(ctx context.Context, c nativeCase) ([]byte, error) {
	if err := r.build(ctx, c.build); err != nil {
		return nil, err
	}
	bin := filepath.Join(r.dir, "bin", c.build.bin)
	argv := []string{bin}
	if len(c.run) > 0 {
		argv = joinQuoted(c.run, bin)
	}
	if len(c.args) > 0 && len(c.run) > 0 && c.run[0] != "valgrind" {
		return nil, fmt.Errorf("%s: program arguments are only passed to direct and Valgrind runs", c.name)
	}
	argv = append(argv, c.args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = filepath.Join(r.dir, "src")
	cmd.Env = []string{"LC_ALL=C", "TERM=dumb"}
	for _, kv := range os.Environ() {
		// Sanitizer and Rust settings of the caller would change the
		// reports.
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasSuffix(k, "SAN_OPTIONS") && !strings.HasPrefix(k, "RUST_") && k != "LC_ALL" && k != "TERM" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, c.env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if !c.stdoutOnly {
		cmd.Stderr = &out
	}
	_ = cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%s: %w", strings.Join(argv, " "), ctx.Err())
	}
	return out.Bytes(), nil
}

// joinQuoted turns a command split by strings.Fields back into argv,
// rejoining the words of "quoted arguments" and replacing {bin}.
func joinQuoted(words []string, bin string) []string {
	var argv []string
	var cur []string
	for _, wd := range words {
		if wd == "{bin}" {
			wd = bin
		}
		switch {
		case cur != nil:
			cur = append(cur, strings.TrimSuffix(wd, `"`))
			if strings.HasSuffix(wd, `"`) {
				argv = append(argv, strings.Join(cur, " "))
				cur = nil
			}
		case strings.HasPrefix(wd, `"`) && !(len(wd) > 1 && strings.HasSuffix(wd, `"`)):
			cur = []string{strings.TrimPrefix(wd, `"`)}
		default:
			argv = append(argv, strings.Trim(wd, `"`))
		}
	}
	return argv
}

// markerLine returns the 1-based line of file (under testdata/native/src)
// holding marker.
func markerLine(t testing.TB, file, marker string) int {
	t.Helper()
	var path string
	_ = filepath.WalkDir(filepath.Join("testdata", "native", "src"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == file {
			path = p
		}
		return nil
	})
	if path == "" {
		t.Fatalf("source %s not found", file)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.Contains(sc.Text(), marker+" ") || strings.HasSuffix(sc.Text(), marker) {
			return n
		}
	}
	t.Fatalf("marker %s not found in %s", marker, file)
	return 0
}

// checkWant checks that each stack named in c.want starts, at its first
// in-app frame, with the expected file, line and function.
func checkWant(t *testing.T, c nativeCase, sigs []Signal) {
	t.Helper()
	if len(sigs) == 0 {
		t.Fatal("no signal parsed")
	}
	s := sigs[0]
	for _, wf := range c.want {
		var got *Frame
		for i := range s.Frames {
			if s.Frames[i].Stack == wf.stack && s.Frames[i].InApp {
				got = &s.Frames[i]
				break
			}
		}
		if got == nil {
			t.Errorf("stack %d: no in-app frame, want %s %s %s", wf.stack, wf.file, wf.marker, wf.function)
			continue
		}
		if wf.file != "" {
			line := markerLine(t, wf.file, wf.marker)
			if filepath.Base(got.File) != wf.file || got.Line != line {
				t.Errorf("stack %d: got %s:%d, want %s:%d (%s)", wf.stack, got.File, got.Line, wf.file, line, wf.marker)
			}
		}
		if got.Function != wf.function {
			t.Errorf("stack %d: got function %q, want %q", wf.stack, got.Function, wf.function)
		}
	}
}

// runNativeCases builds and runs cases two at a time (the machine has two
// cores) and calls check with each capture.
func runNativeCases(t *testing.T, root *nativeRoot, cases []nativeCase, check func(t *testing.T, c nativeCase, out []byte)) {
	sem := make(chan struct{}, 2)
	for _, c := range cases {
		t.Run(c.dir+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			sem <- struct{}{}
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			out, err := root.capture(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			check(t, c, out)
		})
	}
}
