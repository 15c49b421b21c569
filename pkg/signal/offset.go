package signal

import (
	"strconv"
	"strings"
)

// atModuleOffset returns f with off, its address within its module as
// the report prints it, and the module's build ID (normalized, see
// normalBuildID); a frame without a module keeps neither, for an offset
// means nothing without the module it is in. It is for the parsers of
// reports that print a module-relative address (tombstones, Apple's
// reports, minidump_stackwalk's, WinDbg's); nativeFrame stays as it is.
func atModuleOffset(f Frame, off uint64, buildID string) Frame {
	if f.Module == "" {
		return f
	}
	f.Offset = off
	f.BuildID = normalBuildID(buildID)
	return f
}

// normalBuildID writes a build ID the one way Frame.BuildID holds it:
// lower-case hexadecimal without the dashes a UUID is printed with
// ("1A2B3C4D-5E6F-..." is "1a2b3c4d5e6f..."), "" for anything else.
func normalBuildID(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 128 {
		return ""
	}
	s = strings.ReplaceAll(s, "-", "")
	if !allHex(s) {
		return ""
	}
	return strings.ToLower(s)
}

// parseHexOffset reads a hexadecimal offset with or without its "0x".
func parseHexOffset(s string) (uint64, bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if s == "" || len(s) > 16 {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 16, 64)
	return v, err == nil
}
