package bitbuckettest

import (
	"strings"
)

// applyFields implements Bitbucket's partial responses on a decoded JSON
// document: "a.b" keeps only the listed fields, "-a.b" removes one, "+a.b"
// adds one back, "*" matches every field of a level; arrays are transparent
// ("values.hash" applies to every element). Entries apply in order, starting
// from the full document unless some entry is a plain inclusion. Unknown
// fields are ignored.
func applyFields(doc any, spec string) any {
	var entries []string
	plain := false
	for _, e := range strings.Split(spec, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if e[0] != '-' && e[0] != '+' {
			plain = true
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		return doc
	}
	var res any
	if !plain {
		res = doc
	}
	for _, e := range entries {
		switch e[0] {
		case '-':
			res = removePath(res, strings.Split(e[1:], "."))
		case '+':
			res = includePath(res, doc, strings.Split(e[1:], "."))
		default:
			res = includePath(res, doc, strings.Split(e, "."))
		}
	}
	if res == nil {
		return map[string]any{}
	}
	return res
}

// includePath copies the subtree of src at path into dst, returning dst.
// dst is never shared with src above the copied leaves.
func includePath(dst, src any, path []string) any {
	if len(path) == 0 {
		return src
	}
	switch sv := src.(type) {
	case map[string]any:
		dm, ok := dst.(map[string]any)
		if !ok {
			dm = map[string]any{}
		} else {
			dm = shallowCopyMap(dm)
		}
		if path[0] == "*" {
			for k, v := range sv {
				dm[k] = includePath(dm[k], v, path[1:])
			}
		} else if v, ok := sv[path[0]]; ok {
			dm[path[0]] = includePath(dm[path[0]], v, path[1:])
		}
		return dm
	case []any:
		da, ok := dst.([]any)
		if !ok || len(da) != len(sv) {
			da = make([]any, len(sv))
		} else {
			// A copy that stays an array ([], not null) when empty.
			da = append(make([]any, 0, len(da)), da...)
		}
		for i := range sv {
			da[i] = includePath(da[i], sv[i], path)
			if da[i] == nil {
				da[i] = map[string]any{}
			}
		}
		return da
	default:
		return dst
	}
}

// removePath deletes the field at path, copying what it changes.
func removePath(doc any, path []string) any {
	if len(path) == 0 {
		return doc
	}
	switch v := doc.(type) {
	case map[string]any:
		m := shallowCopyMap(v)
		if len(path) == 1 {
			if path[0] == "*" {
				return map[string]any{}
			}
			delete(m, path[0])
			return m
		}
		if path[0] == "*" {
			for k, c := range m {
				m[k] = removePath(c, path[1:])
			}
		} else if c, ok := m[path[0]]; ok {
			m[path[0]] = removePath(c, path[1:])
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i := range v {
			a[i] = removePath(v[i], path)
		}
		return a
	default:
		return doc
	}
}

func shallowCopyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
