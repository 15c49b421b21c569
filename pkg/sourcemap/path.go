package sourcemap

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/url"
	"path"
	"strings"
)

// Normalize turns a map's source (Position.Source, with the sourceRoot
// applied) into a path as a repository would hold it, and tells whether it
// is the application's own code by the bundler's marks. dir is the map's
// own folder, slash-separated, relative to the repository's root when that
// is known and "" when not: a plain relative source (esbuild's, Vite's and
// Rollup's "../../src/cart.ts") is relative to it, and what climbs out of
// it is dropped ("../src/cart.js" with no dir is "src/cart.js").
//
//   - webpack:///./src/cart.ts, webpack://shop/./src/cart.ts and
//     webpack:///src/cart.ts?abcd are src/cart.ts: webpack's paths are
//     relative to the project, after a namespace (the library's name) and
//     before a query;
//   - turbopack://[project]/src/cart.ts is src/cart.ts;
//   - file:///home/me/shop/src/cart.ts is /home/me/shop/src/cart.ts (the
//     caller may make it relative to a checkout it knows);
//   - another URL is its path without the leading slash
//     (https://cdn.example.com/src/cart.ts is src/cart.ts).
//
// Not in-app: anything under node_modules/, webpack's runtime
// (webpack/bootstrap, webpack/runtime/..., (webpack)/...), its externals
// (external "react"), Turbopack's runtime ([turbopack]/...) and Rollup's
// virtual modules (names starting with a NUL byte).
func Normalize(source, dir string) (p string, inApp bool) {
	p = strings.ReplaceAll(source, `\`, "/")
	relative := false
	scheme := ""
	if i := strings.Index(p, "://"); i > 0 && isAbsolute(p) {
		scheme = strings.ToLower(p[:i])
	}
	switch scheme {
	case "":
		p = cutQuery(p)
		relative = !strings.HasPrefix(p, "/") && !(len(p) > 1 && p[1] == ':') // not /abs nor C:/abs
	case "file":
		if u, err := url.Parse(p); err == nil && u.Path != "" {
			p = u.Path
			if len(p) > 2 && p[0] == '/' && p[2] == ':' {
				p = p[1:] // file:///C:/shop/src/cart.ts
			}
		} else {
			p = cutQuery(p[len("file://"):])
		}
	default:
		// webpack://namespace/path, webpack-internal:///./src,
		// turbopack://[project]/path, ng:///src, https://host/path: the
		// path after the host (or namespace), relative to the project.
		rest := cutQuery(p[len(scheme)+3:])
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			rest = rest[j+1:]
		} else {
			rest = ""
		}
		if u, err := url.PathUnescape(rest); err == nil {
			rest = u
		}
		rest = strings.TrimPrefix(rest, "[project]/")
		p = strings.TrimLeft(rest, "/")
	}
	if relative && dir != "" {
		p = path.Join(dir, p)
	}
	abs := strings.HasPrefix(p, "/")
	if p != "" {
		p = path.Clean(p)
	}
	if !abs {
		for strings.HasPrefix(p, "../") {
			p = p[3:]
		}
		if p == ".." || p == "." {
			p = ""
		}
	}
	return p, p != "" && !thirdParty(p)
}

// cutQuery drops a query and a fragment.
func cutQuery(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		return p[:i]
	}
	return p
}

func thirdParty(p string) bool {
	return strings.Contains("/"+p, "/node_modules/") ||
		strings.HasPrefix(p, "webpack/") || p == "webpack" ||
		strings.HasPrefix(p, "(webpack)") || strings.Contains(p, "/(webpack)/") ||
		strings.HasPrefix(p, "external ") || strings.Contains(p, "/external ") ||
		strings.HasPrefix(p, "[turbopack]") || strings.HasPrefix(p, "\x00") ||
		strings.Contains(p, "/\x00")
}

// MappingURL returns the URL of the last "//# sourceMappingURL=" comment
// (or the older "//@ ") in the end of a generated file, "" when there is
// none. tail is the file, or its last bytes.
func MappingURL(tail []byte) string {
	best := ""
	for _, mark := range []string{"//# sourceMappingURL=", "//@ sourceMappingURL="} {
		i := bytes.LastIndex(tail, []byte(mark))
		if i < 0 {
			continue
		}
		rest := tail[i+len(mark):]
		if j := bytes.IndexAny(rest, " \t\r\n"); j >= 0 {
			rest = rest[:j]
		}
		if best == "" || len(rest) > 0 {
			best = string(rest)
		}
		if best != "" {
			break
		}
	}
	return best
}

// DataURL decodes a data: URL holding a map inline
// ("data:application/json;charset=utf-8;base64,eyJ2..."); ok is false
// for any other URL.
func DataURL(u string) (data []byte, ok bool, err error) {
	if !strings.HasPrefix(u, "data:") {
		return nil, false, nil
	}
	meta, body, found := strings.Cut(u[len("data:"):], ",")
	if !found {
		return nil, true, errors.New("a data: URL without a comma")
	}
	if len(body) > base64.StdEncoding.EncodedLen(MaxSize) {
		return nil, true, errors.New("an inline map larger than a source map may be")
	}
	if strings.HasSuffix(meta, ";base64") {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(body, "="))
		}
		if err != nil {
			return nil, true, errors.New("an inline map that is not valid base64")
		}
		return b, true, nil
	}
	s, err := url.PathUnescape(body)
	if err != nil {
		return nil, true, errors.New("an inline map that is not a valid URL")
	}
	return []byte(s), true, nil
}
