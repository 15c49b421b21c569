package harness

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Variants rewrite a case's Sentry event the way another converter might
// have written it, to measure how much the figures depend on this
// converter's choices. The raw text runs are not affected.
var Variants = map[string]string{
	"no-in-app":   "no frame carries in_app",
	"all-in-app":  "every frame is marked in_app",
	"none-in-app": "every frame is marked in_app: false (a project without stack trace rules)",
	"basename":    "file names cut to their base name, no abs_path (as Valgrind prints them)",
	"dotdot":      "file names relative to a build folder (../../src/x.c), no abs_path",
	"abs-path":    "file names under a build machine's checkout (/build/src/x.c)",
	"crash-first": "a report's stacks (exception values) in the other order, the crash stack first",
}

// VariantNames lists the variants in order.
func VariantNames() []string {
	out := make([]string, 0, len(Variants))
	for k := range Variants {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// applyVariant rewrites the JSON event eb by variant v ("" leaves it).
func applyVariant(eb []byte, v string) ([]byte, error) {
	if v == "" {
		return eb, nil
	}
	if _, ok := Variants[v]; !ok {
		return nil, fmt.Errorf("unknown variant %q (want one of %s)", v, strings.Join(VariantNames(), ", "))
	}
	var ev map[string]any
	if err := json.Unmarshal(eb, &ev); err != nil {
		return nil, err
	}
	exc, _ := ev["exception"].(map[string]any)
	values, _ := exc["values"].([]any)
	if v == "crash-first" && len(values) > 1 {
		for i, j := 0, len(values)-1; i < j; i, j = i+1, j-1 {
			values[i], values[j] = values[j], values[i]
		}
	}
	for _, val := range values {
		st, _ := val.(map[string]any)["stacktrace"].(map[string]any)
		frames, _ := st["frames"].([]any)
		for _, fr := range frames {
			f, ok := fr.(map[string]any)
			if !ok {
				continue
			}
			name, _ := f["filename"].(string)
			switch v {
			case "no-in-app":
				delete(f, "in_app")
			case "all-in-app":
				f["in_app"] = true
			case "none-in-app":
				f["in_app"] = false
			case "basename":
				if name != "" {
					f["filename"] = path.Base(name)
					delete(f, "abs_path")
				}
			case "dotdot":
				if name != "" && !strings.HasPrefix(name, "/") {
					f["filename"] = "../../" + name
					delete(f, "abs_path")
				}
			case "abs-path":
				if name != "" && !strings.HasPrefix(name, "/") {
					f["filename"] = "/build/src/" + strings.TrimPrefix(path.Clean(name), "../")
					f["abs_path"] = f["filename"]
				}
			}
		}
	}
	return json.MarshalIndent(ev, "", "  ")
}
