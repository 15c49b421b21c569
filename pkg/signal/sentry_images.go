package signal

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// sentryImage is one image of an event's debug_meta.images (Sentry's
// Debug Meta Interface): an executable or shared library loaded at
// image_addr, image_size bytes long. For an "elf" image code_id is the
// GNU build ID in hexadecimal, whole; debug_id is derived from it (its
// first 16 bytes as a GUID, byte-swapped, as Breakpad does) and is not
// read here, for the build ID cannot be had back from it. For a "macho"
// image (and the older "apple" one) debug_id is the image's UUID, written
// as a GUID, and code_id, when given, the same without dashes. "pe"
// images (and "symbolic" ones) are neither: their frames are left as they
// are, --symbols reading ELF and Mach-O files only.
type sentryImage struct {
	Type     string `json:"type"`
	CodeFile string `json:"code_file"`
	CodeID   string `json:"code_id"`
	DebugID  string `json:"debug_id"`
	// Name and UUID are an older "apple" image's code_file and debug_id.
	Name      string          `json:"name"`
	UUID      string          `json:"uuid"`
	ImageAddr json.RawMessage `json:"image_addr"`
	ImageSize json.RawMessage `json:"image_size"`

	start, size uint64 // image_addr and image_size read
	placed      bool   // image_addr read
}

// sentryImages are an event's images, in debug_meta order (addr_mode
// "rel:N" counts in it).
type sentryImages []sentryImage

// readImages reads debug_meta.images, the ingest shape's, or the data of
// the REST shape's "debugmeta" entry.
func readImages(raws ...json.RawMessage) sentryImages {
	for _, raw := range raws {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		var w struct {
			Images []sentryImage `json:"images"`
		}
		if json.Unmarshal(raw, &w) != nil || len(w.Images) == 0 {
			continue
		}
		for i := range w.Images {
			im := &w.Images[i]
			if im.CodeFile == "" {
				im.CodeFile = im.Name
			}
			if im.DebugID == "" {
				im.DebugID = im.UUID
			}
			im.start, im.placed = sentryAddr(im.ImageAddr)
			im.size, _ = sentrySize(im.ImageSize)
		}
		return w.Images
	}
	return nil
}

// readable reports an image of the kinds --symbols reads: an ELF file
// (type "elf") or a Mach-O one ("macho", or "apple" as older SDKs wrote).
func (im *sentryImage) readable() bool {
	return (im.elf() || im.macho()) && strings.TrimSpace(im.CodeFile) != ""
}

func (im *sentryImage) elf() bool { return strings.EqualFold(strings.TrimSpace(im.Type), "elf") }

func (im *sentryImage) macho() bool {
	t := strings.TrimSpace(im.Type)
	return strings.EqualFold(t, "macho") || strings.EqualFold(t, "apple")
}

// buildID is an ELF image's code_id when it is a GNU build ID: hexadecimal
// without dashes (a GUID's dashes say it is a debug_id), of whole bytes,
// 8 of them at least (lld's --build-id=fast is the shortest). A Mach-O
// image's is its UUID: code_id, else debug_id without its dashes, 16
// bytes either way.
func (im *sentryImage) buildID() string {
	if im.macho() {
		for _, id := range []string{im.CodeID, im.DebugID} {
			id = strings.ReplaceAll(strings.TrimSpace(id), "-", "")
			if len(id) == 32 {
				if b := normalBuildID(id); b != "" {
					return b
				}
			}
		}
		return ""
	}
	id := strings.TrimSpace(im.CodeID)
	if strings.Contains(id, "-") || len(id) < 16 || len(id)%2 != 0 {
		return ""
	}
	return normalBuildID(id)
}

// end is where an image ends: image_addr + image_size, or, without a
// size, the next image's start, as Sentry assumes then (0: not known).
func (ims sentryImages) end(i int) uint64 {
	im := ims[i]
	if im.size > 0 {
		return im.start + im.size
	}
	var next uint64
	for _, o := range ims {
		if o.placed && o.start > im.start && (next == 0 || o.start < next) {
			next = o.start
		}
	}
	return next
}

// containing is the index of the image whose range holds addr, or -1.
func (ims sentryImages) containing(addr uint64) int {
	idx := make([]int, 0, len(ims))
	for i := range ims {
		if ims[i].placed {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return ims[idx[a]].start < ims[idx[b]].start })
	for _, i := range idx {
		if end := ims.end(i); ims[i].start <= addr && addr < end {
			return i
		}
	}
	return -1
}

// sentryFrameAt is where an unsymbolicated native frame's instruction
// address lies: the image (by its debug_meta index, -1 when the frame
// names its own) and the address within it. With addr_mode "rel:N" the
// address is already relative to image N; a frame that gives its image's
// start (image_addr) is within the image that starts there, or, without
// one in debug_meta, within the file its package names; else the image
// whose range holds the address, preferring the one its package names.
// ok is false when no ELF or Mach-O image holds the frame: PE images are
// not read (their frames keep no module and offset).
func (ims sentryImages) frameAt(sf sentryFrame) (module string, off uint64, buildID string, ok bool) {
	raw := sf.InstructionAddr
	if raw == "" {
		raw = sf.InstructionAddrCamel
	}
	addr, okAddr := parseHexOffset(strings.TrimSpace(raw))
	if !okAddr {
		return "", 0, "", false
	}
	mode := strings.TrimSpace(sf.AddrMode)
	if mode == "" {
		mode = sf.AddrModeCamel
	}
	pick := func(i int, off uint64) (string, uint64, string, bool) {
		if i < 0 || i >= len(ims) || !ims[i].readable() || off == 0 {
			return "", 0, "", false
		}
		return strings.TrimSpace(ims[i].CodeFile), off, ims[i].buildID(), true
	}
	if rest, rel := strings.CutPrefix(mode, "rel:"); rel {
		i, err := strconv.Atoi(rest)
		if err != nil {
			return "", 0, "", false
		}
		return pick(i, addr)
	}
	if mode != "" && mode != "abs" {
		return "", 0, "", false // relative to something else (a function's index, in WebAssembly)
	}
	pkg := strings.TrimSpace(sf.Package)
	frameBase := sf.ImageAddr
	if frameBase == "" {
		frameBase = sf.ImageAddrCamel
	}
	if base, okBase := parseHexOffset(strings.TrimSpace(frameBase)); okBase {
		if addr < base {
			return "", 0, "", false
		}
		for i := range ims {
			if ims[i].placed && ims[i].start == base {
				return pick(i, addr-base)
			}
		}
		if pkg != "" && len(ims) == 0 && !nonELFPath(pkg) && addr > base {
			return pkg, addr - base, "", true
		}
		return "", 0, "", false
	}
	if pkg != "" {
		for i := range ims {
			if ims[i].placed && strings.TrimSpace(ims[i].CodeFile) == pkg && ims[i].start <= addr {
				if end := ims.end(i); end == 0 || addr < end {
					return pick(i, addr-ims[i].start)
				}
			}
		}
	}
	if i := ims.containing(addr); i >= 0 {
		return pick(i, addr-ims[i].start)
	}
	return "", 0, "", false
}

// nonELFPath reports the paths of Windows' and Apple's modules, which a
// frame's package may name without an image to say what they are.
func nonELFPath(p string) bool {
	l := strings.ToLower(p)
	return strings.Contains(l, `\`) || strings.HasSuffix(l, ".dll") || strings.HasSuffix(l, ".exe") ||
		strings.HasSuffix(l, ".dylib") || strings.Contains(l, ".framework/") || strings.Contains(l, ".app/")
}

// sentryAddr reads an address: a hexadecimal string ("0x5607b8fce000")
// or a number.
func sentryAddr(raw json.RawMessage) (uint64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return parseHexOffset(strings.TrimSpace(s))
	}
	v, err := strconv.ParseUint(string(raw), 10, 64)
	return v, err == nil
}

// sentrySize reads a size: a number, or a decimal string ("1331200", as
// some SDKs send it) or a hexadecimal one with its "0x".
func sentrySize(raw json.RawMessage) (uint64, bool) {
	raw = bytes.TrimSpace(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
			return parseHexOffset(s)
		}
		v, err := strconv.ParseUint(s, 10, 64)
		return v, err == nil
	}
	v, err := strconv.ParseUint(string(raw), 10, 64)
	return v, err == nil
}

// sentryAdjust tells, frame by frame (innermost first), whether a
// stack's instruction addresses are return addresses, as the stack
// trace's instruction_addr_adjustment says (Sentry's RFC 43, which
// Relay's InstructionAddrAdjustment and symbolicator follow): "all_but_first"
// (and "auto", the default) adjusts every frame but the innermost, which
// is the faulting instruction; "all" every frame (the stack walker
// dropped frames from the top); "none" no frame (the SDK adjusted them
// already). Under "auto", a stack whose registers' instruction pointer
// is not its innermost frame's address had frames dropped from the top,
// and all are adjusted, as symbolicator does.
func sentryAdjust(st *sentryTrace, innermost uint64, haveInnermost bool) func(i int) bool {
	mode := strings.ToLower(strings.TrimSpace(st.InstructionAddrAdjustment))
	if mode == "" {
		mode = strings.ToLower(strings.TrimSpace(st.InstructionAddrAdjustmentCamel))
	}
	switch mode {
	case "none":
		return func(int) bool { return false }
	case "all":
		return func(int) bool { return true }
	case "all_but_first":
		return func(i int) bool { return i > 0 }
	}
	if haveInnermost {
		for _, r := range []string{"rip", "eip", "pc", "ip"} {
			if raw, ok := st.Registers[r]; ok {
				if ip, ok := sentryAddr(raw); ok && ip != innermost {
					return func(int) bool { return true }
				}
				break
			}
		}
	}
	return func(i int) bool { return i > 0 }
}
