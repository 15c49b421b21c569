package signal

import (
	"regexp"
	"strings"
)

// goStdRoots are the first path elements of Go standard-library packages.
var goStdRoots = map[string]bool{
	"archive": true, "arena": true, "bufio": true, "builtin": true, "bytes": true, "cmp": true,
	"compress": true, "container": true, "context": true, "crypto": true, "database": true,
	"debug": true, "embed": true, "encoding": true, "errors": true, "expvar": true, "flag": true,
	"fmt": true, "go": true, "hash": true, "html": true, "image": true, "index": true,
	"internal": true, "io": true, "iter": true, "log": true, "maps": true, "math": true,
	"mime": true, "net": true, "os": true, "path": true, "plugin": true, "reflect": true,
	"regexp": true, "runtime": true, "slices": true, "sort": true, "strconv": true,
	"strings": true, "structs": true, "sync": true, "syscall": true, "testing": true,
	"text": true, "time": true, "unicode": true, "unique": true, "unsafe": true, "weak": true,
	"vendor": true, "cmd": true,
}

// javaLibPrefixes are class-name prefixes of the JDK, Kotlin and common
// frameworks; a conservative list.
var javaLibPrefixes = []string{
	"java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.",
	"scala.", "groovy.", "clojure.", "org.springframework.", "org.apache.", "org.hibernate.",
	"org.junit.", "org.eclipse.jetty.", "io.netty.", "reactor.", "io.reactivex.", "okhttp3.",
	"com.google.", "com.fasterxml.", "org.jboss.", "io.micronaut.", "io.quarkus.",
	"io.ktor.", "akka.", "org.gradle.", "android.", "androidx.", "dalvik.", "libcore.",
	"com.android.internal.", "org.gradle.", "org.slf4j.", "ch.qos.logback.",
}

// dotnetLibPrefixes are namespace prefixes of the .NET runtime and frameworks.
var dotnetLibPrefixes = []string{"System.", "Microsoft.", "Newtonsoft.", "NUnit.", "Xunit.", "Npgsql.", "Grpc."}

// IsInApp reports whether a frame belongs to the application rather than the
// standard library, a dependency, vendored code or the runtime. format is a
// Format* constant (or a Sentry platform such as "python"); file, function
// and module are as in Frame. Rules, all case-sensitive:
//   - any format: paths with /vendor/ (or starting vendor/), node_modules,
//     site-packages, dist-packages, the Go module cache /pkg/mod/, /gems/ are
//     not in-app;
//   - go: GOROOT files (/usr/local/go/src/, /usr/lib/go*/src/, .../libexec/src/,
//     /goroot/src/), -trimpath standard-library paths, modules versioned with
//     @v, and functions whose package's first element has no dot and is a
//     standard-library root (runtime, net, sync, ...) are not in-app;
//   - python: /lib/python3.x/ and /lib64/python3.x/ (Fedora's standard
//     library), <frozen ...>, <string> and similar are not;
//   - java: class names starting with java., javax., jdk., sun., kotlin.,
//     org.springframework. and other well-known libraries are not;
//   - javascript: node: and internal/ files, <anonymous>, native and
//     Promise.all's "index N" are not;
//   - ruby: /gems/, rubygems, <internal:...>, /lib/ruby/ are not;
//   - dotnet: System.* and Microsoft.* namespaces are not;
//   - dart (and Sentry's dart and flutter platforms): the SDK's libraries
//     (dart:, org-dartlang-sdk:), the Flutter SDK's packages and well-known
//     packages (flutter, flutter_test, provider, bloc, dio, http, async,
//     stack_trace, ...: dartLibPackages), by the frame's Module or its
//     package: URI, and files in pub's cache or the Flutter SDK's tree are
//     not; any other package is taken for the app's;
//   - php: Composer's vendor/ (the rule of any format), PHP's internal
//     functions ([internal function], Sentry's [internal]), phar:// archives
//     and the system's PHP libraries (/usr/share/php/, /usr/lib/php/) are
//     not; a frame without a file is in-app only when its function is in a
//     namespace other than a framework's (Illuminate\, Symfony\, Laminas\,
//     Doctrine\, ...): PHP's own functions and classes have none;
//   - perl: string evals ("(eval 12)"), the system's and the
//     interpreter's libraries (/usr/share/perl5/, /usr/share/perl/,
//     /usr/lib/x86_64-linux-gnu/perl/ and the other -linux-gnu/perl
//     trees, /usr/lib64/perl5/, site_perl, vendor_perl, macOS's
//     /System/Library/Perl/ and /Library/Perl/, perlbrew's, plenv's and
//     Strawberry Perl's) and modules installed with the application
//     (local::lib's perl5/lib/perl5/, Carton's local/lib/perl5/) are not;
//     lib/, bin/, t/ and scripts are;
//   - elixir (Elixir and Erlang, and Sentry's elixir platform): a
//     stacktrace line's application decides when it names one: Elixir's,
//     Erlang/OTP's and well-known libraries' (elixir, stdlib, kernel,
//     phoenix, plug, ecto, ...: elixirLibApps) are not in-app; files in
//     deps/ and Erlang's and Elixir's installed trees are not; else the
//     module decides: Elixir's and well-known libraries' (Enum,
//     GenServer, Phoenix.*, Ecto.*, ...) and Erlang/OTP's (:gen_server,
//     erl_eval, lists, ...) are not;
//   - native formats (sanitizers, valgrind, gdb, lldb, glibc, and Sentry's
//     native, c, cpp, objc platforms): the C library and its sources
//     (./nptl/..., ../sysdeps/...), system headers and libraries (/usr/include/,
//     /usr/lib/, /lib/), compiler runtimes (libsanitizer, compiler-rt,
//     asan_*.cpp, libgcc), the C++ standard library (std::, __gnu_cxx::),
//     Valgrind's preload libraries, third_party/ (third-party/, thirdparty/) trees, C library entry
//     points (malloc, free, strlen, pthread_create, _start, ...) and frames
//     of shared libraries of the system without a file are not; a frame
//     with neither file nor function is not;
//   - minidump and windbg: the native rules, and frames of the libraries
//     of Windows and its C and C++ runtimes (ntdll, KERNEL32, ucrtbase,
//     VCRUNTIME140, ..., whatever the case and with or without .dll) and
//     of Windows' entry points and exception machinery are not;
//   - rust: /rustc/ and library/std|core|alloc sources, ~/.cargo/registry
//     and git dependencies, std::, core::, alloc:: and the panic machinery
//     are not;
//   - apple: frames of the system's images (libsystem_*, dyld, libobjc,
//     libswift*, UIKitCore, SwiftUI, CoreFoundation, Foundation, ...;
//     anything under /System/ or /usr/lib/) are not; a report's parser
//     decides by the image's path instead when the report lists it (see
//     appleInApp);
//   - tombstone (Android): frames of the system's images (/system/, /apex/,
//     /vendor/, /product/, [vdso], the linker, libart.so), the C and C++
//     runtimes, the framework's and libraries' Java methods, and AOSP and
//     NDK sources are not; the app's libraries and APKs are (tombstoneInApp);
//   - anr (Android): the tombstone rules, which hold the Java rules for
//     Java methods;
//   - kernel: the reporting, sanitizer, allocator, exception and entry code
//     (dump_stack, kasan_*, kmalloc, exc_*, entry_SYSCALL_64, mm/kasan/,
//     mm/slub.c, ...) is not; unreliable "? fn" frames are never in-app.
//
// Everything else is in-app.
func IsInApp(format, file, function, module string) bool {
	f := strings.ReplaceAll(file, `\`, "/")
	if strings.Contains(f, "/vendor/") || strings.HasPrefix(f, "vendor/") ||
		strings.Contains(f, "node_modules") || strings.Contains(f, "site-packages") ||
		strings.Contains(f, "dist-packages") || strings.Contains(f, "/pkg/mod/") ||
		strings.Contains(f, "/gems/") {
		return false
	}
	switch format {
	case FormatGo:
		return goInApp(f, function, module)
	case FormatPython:
		return !(strings.Contains(f, "/lib/python") || strings.Contains(f, "/lib64/python") || strings.HasPrefix(f, "<") ||
			winPythonLibRE.MatchString(f))
	case FormatJava, "kotlin", "scala", "android":
		name := module
		if name == "" {
			name = function
		}
		return !hasAnyPrefix(name, javaLibPrefixes)
	case FormatJavaScript, "node", "javascript-node":
		return !(strings.HasPrefix(f, "node:") || strings.HasPrefix(f, "internal/") ||
			strings.HasPrefix(f, "<") || f == "native" || f == "" || strings.HasPrefix(f, "index "))
	case FormatRuby:
		return !(strings.Contains(f, "rubygems") || strings.HasPrefix(f, "<internal:") ||
			strings.Contains(f, "/lib/ruby/") || strings.Contains(f, "/ruby/gems"))
	case FormatDotNet, "csharp":
		name := module
		if name == "" {
			name = function
		}
		return !hasAnyPrefix(name, dotnetLibPrefixes)
	case FormatDart:
		return dartInApp(f, module)
	case FormatPHP:
		return phpInApp(f, function)
	case FormatPerl:
		return perlInApp(f)
	case FormatLua:
		return luaInApp(file)
	case FormatElixir:
		return elixirModuleInApp(f, function, module)
	case FormatRust:
		return rustInApp(file, function) && nativeInApp(file, function, module)
	case FormatKernel:
		return kernelInApp(f, function)
	case FormatApple:
		return appleInApp(file, function, module, "", "")
	case FormatTombstone, FormatANR:
		return tombstoneInApp(f, function, module)
	case FormatASan, FormatLSan, FormatMSan, FormatTSan, FormatUBSan, FormatValgrind, FormatGDB, FormatLLDB,
		FormatGlibc, "native", "c", "cpp", "objc":
		return nativeInApp(file, function, module) && !vendoredNative(f)
	case FormatMinidump, FormatWinDbg:
		return nativeInApp(file, function, module) && !vendoredNative(f) && !systemModuleFrame(function, module)
	}
	return true
}

// winPythonLibRE matches the standard library of a Windows Python
// (C:/Python311/Lib/json/decoder.py, .../Programs/Python/Python312/Lib/...).
var winPythonLibRE = regexp.MustCompile(`(?i)/python[0-9._-]*/lib/`)

// vendoredNative reports a native frame's path in a tree of vendored
// code: third_party/, third-party/ or thirdparty/, as repository paths
// are judged (suspect.repoPathInApp).
func vendoredNative(f string) bool {
	for _, d := range []string{"third_party/", "third-party/", "thirdparty/"} {
		if strings.HasPrefix(f, d) || strings.Contains(f, "/"+d) {
			return true
		}
	}
	return false
}

func goInApp(file, function, module string) bool {
	for _, root := range []string{"/usr/local/go/src/", "/usr/lib/go", "/usr/share/go", "/libexec/src/", "/goroot/src/", "/go/pkg/",
		"/share/go/src/", "/hostedtoolcache/go/", "/sdk/go1."} {
		if strings.Contains(file, root) {
			return false
		}
	}
	if file == "_testmain.go" || strings.HasSuffix(file, "/_testmain.go") {
		return false // the main package go test generates
	}
	pkg := module
	if pkg == "" {
		pkg = goPackage(function)
	}
	if pkg == "main" {
		return true
	}
	first := pkg
	if i := strings.IndexByte(first, '/'); i >= 0 {
		first = first[:i]
	}
	if pkg != "" && !strings.Contains(first, ".") && goStdRoots[first] {
		return false
	}
	if !strings.HasPrefix(file, "/") && file != "" {
		// -trimpath: "runtime/panic.go", "github.com/x/y@v1.2.3/z.go".
		elem := file
		if i := strings.IndexByte(elem, '/'); i >= 0 {
			elem = elem[:i]
		}
		if !strings.Contains(elem, ".") && goStdRoots[elem] && pkg == "" {
			return false
		}
		if strings.Contains(file, "@v") {
			return false
		}
	}
	return true
}

// goPackage returns the import path of a Go function name such as
// github.com/a/b/pkg.(*T).Method or main.main.func1.
func goPackage(function string) string {
	slash := strings.LastIndexByte(function, '/')
	dot := strings.IndexByte(function[slash+1:], '.')
	if dot < 0 {
		return ""
	}
	return function[:slash+1+dot]
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// phpFrameworks are namespaces of PHP frameworks and libraries, whose frames
// without a file are not in-app.
var phpFrameworks = []string{`Illuminate\`, `Symfony\`, `Laminas\`, `Zend\`, `Doctrine\`, `Laravel\`, `Composer\`,
	`PHPUnit\`, `GuzzleHttp\`, `Monolog\`, `Twig\`, `Sentry\`}

// phpInApp is IsInApp for PHP, with f's backslashes made slashes.
func phpInApp(f, function string) bool {
	if f == "" {
		return strings.Contains(function, `\`) && !hasAnyPrefix(strings.TrimPrefix(function, `\`), phpFrameworks)
	}
	return !(strings.HasPrefix(f, "[internal") || strings.HasPrefix(f, "phar://") ||
		strings.Contains(f, "/usr/share/php/") || strings.Contains(f, "/usr/lib/php/"))
}

// perlLibDirs hold Perl's own libraries and installed modules.
var perlLibDirs = []string{"/share/perl5/", "/share/perl/", "-linux-gnu/perl", "lib/perl5/", "/lib64/perl5/", "/usr/lib/perl/",
	"site_perl/", "vendor_perl/", "/Library/Perl/", "/perlbrew/perls/", "/.plenv/versions/", "/Strawberry/perl/"}

// perlInApp is IsInApp for Perl, with f's backslashes made slashes.
func perlInApp(f string) bool {
	if strings.HasPrefix(f, "(eval ") || strings.HasPrefix(f, "(re_eval ") {
		return false
	}
	for _, d := range perlLibDirs {
		if strings.Contains(f, d) {
			return false
		}
	}
	return true
}
