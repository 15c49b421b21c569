package render

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress draws a one-line progress bar on a terminal's stderr. A nil
// *Progress, or one made with enabled=false, draws nothing, so callers need
// not check whether stderr is a terminal.
type Progress struct {
	mu      sync.Mutex
	w       io.Writer
	label   string
	total   int
	done    int
	last    time.Time
	drawn   bool
	enabled bool
}

// NewProgress returns a progress bar writing to w when enabled. The label
// is sanitized like any text (see Line).
func NewProgress(w io.Writer, enabled bool, label string, total int) *Progress {
	return &Progress{w: w, enabled: enabled, label: Line(label), total: total}
}

// AddTotal grows the expected total.
func (p *Progress) AddTotal(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.total += n
	p.mu.Unlock()
	p.draw(false)
}

// SetLabel changes the text in front of the bar.
func (p *Progress) SetLabel(s string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.label = Line(s)
	p.mu.Unlock()
	p.draw(false)
}

// Inc marks one more item done.
func (p *Progress) Inc() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.done++
	p.mu.Unlock()
	p.draw(false)
}

// Done clears the bar.
func (p *Progress) Done() {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[2K")
		p.drawn = false
	}
}

func (p *Progress) draw(force bool) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !force && now.Sub(p.last) < 80*time.Millisecond && p.done != p.total {
		return
	}
	p.last = now
	const width = 24
	filled := 0
	if p.total > 0 {
		filled = p.done * width / p.total
		if filled > width {
			filled = width
		}
	}
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	fmt.Fprintf(p.w, "\r\x1b[2K%s [%s] %d/%d", p.label, bar, p.done, p.total)
	p.drawn = true
}
