package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// series is one colour of a chart: an outcome or a kind of change.
type series struct {
	Name  string
	Color string
}

// esc escapes text for SVG and HTML, in text and in quoted attributes.
// Every string that reaches a chart goes through it.
func esc(s string) string { return html.EscapeString(s) }

// svgOpen starts an SVG with a title read by screen readers and shown by
// browsers; width and height are the viewBox, the CSS scales it.
func svgOpen(b *strings.Builder, class, title string, w, h float64) {
	fmt.Fprintf(b, `<svg class="chart %s" viewBox="0 0 %s %s" width="%s" height="%s" role="img" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		class, num(w), num(h), num(w), num(h), esc(title))
}

// num prints a coordinate with at most one decimal.
func num(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}

func rect(b *strings.Builder, x, y, w, h float64, fill, tip string) {
	if w <= 0 || h <= 0 {
		return
	}
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
		num(x), num(y), num(w), num(h), fill, esc(tip))
}

func text(b *strings.Builder, x, y float64, anchor, class, s string) {
	fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" class="%s">%s</text>`, num(x), num(y), anchor, class, esc(s))
}

// niceStep is a round step (1, 2 or 5 times a power of ten) that splits
// max into about n intervals.
func niceStep(max int64, n int) int64 {
	if max <= 0 {
		return 1
	}
	raw := float64(max) / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return max64(1, int64(m*p))
		}
	}
	return max64(1, int64(10*p))
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

func sum(vs []int64) int64 {
	var t int64
	for _, v := range vs {
		t += v
	}
	return t
}

// column is one stacked column of a time chart.
type column struct {
	Label  string  // in tooltips: "Mon 5 Oct 2026"
	Tick   string  // under the axis, "" for none
	Shade  bool    // a weekend
	Values []int64 // one per series
}

// columnChart draws stacked columns over time, with a value axis and
// shaded weekends.
func columnChart(title string, cols []column, ss []series) template.HTML {
	const w, h, left, right, top, bottom = 960.0, 260.0, 46.0, 8.0, 10.0, 28.0
	var b strings.Builder
	svgOpen(&b, "columns", title, w, h)
	var max int64
	for _, c := range cols {
		max = max64(max, sum(c.Values))
	}
	step := niceStep(max, 4)
	top64 := max64(step, (max+step-1)/step*step)
	ph := h - top - bottom
	y := func(v int64) float64 { return top + ph - ph*float64(v)/float64(top64) }
	cw := (w - left - right) / float64(max64(1, int64(len(cols))))
	for i, c := range cols {
		if c.Shade {
			fmt.Fprintf(&b, `<rect class="shade" x="%s" y="%s" width="%s" height="%s"/>`, num(left+float64(i)*cw), num(top), num(cw), num(ph))
		}
	}
	for v := int64(0); v <= top64; v += step {
		fmt.Fprintf(&b, `<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(left), num(w-right), num(y(v)), num(y(v)))
		text(&b, left-6, y(v)+4, "end", "tick", count(v))
	}
	for i, c := range cols {
		x := left + float64(i)*cw + cw*0.12
		var acc int64
		for k, v := range c.Values {
			rect(&b, x, y(acc+v), cw*0.76, y(acc)-y(acc+v), ss[k].Color, fmt.Sprintf("%s · %s: %s of %s", c.Label, ss[k].Name, count(v), count(sum(c.Values))))
			acc += v
		}
		if c.Tick != "" {
			text(&b, left+float64(i)*cw+cw/2, h-bottom+16, "middle", "tick", c.Tick)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// bar is one row of a ranked bar chart.
type bar struct {
	Label  string
	Values []int64 // one per series
	Note   string  // right of the bar: "862 · 28.8%"
}

// Chart widths: a chart across the page, and one of two side by side.
// The CSS scales both to their box, so text keeps one size.
const (
	fullWidth = 960.0
	halfWidth = 520.0
)

// barChart draws ranked horizontal stacked bars on one scale, the label
// left of each bar and its note right of it; w is fullWidth or halfWidth.
func barChart(title string, rows []bar, ss []series, w float64) template.HTML {
	const rowH, barH, pad = 24.0, 15.0, 6.0
	label, note := 150.0, 150.0
	if w < fullWidth {
		label, note = 140, 160
	}
	h := pad*2 + rowH*float64(len(rows))
	var b strings.Builder
	svgOpen(&b, "bars", title, w, h)
	var max int64
	for _, r := range rows {
		max = max64(max, sum(r.Values))
	}
	scale := (w - label - note - 8) / float64(max64(1, max))
	for i, r := range rows {
		y := pad + float64(i)*rowH
		text(&b, label-8, y+barH-3, "end", "label", clip(r.Label, int(label/7)))
		x := label
		for k, v := range r.Values {
			tip := fmt.Sprintf("%s · %s: %s of %s", r.Label, ss[k].Name, count(v), count(sum(r.Values)))
			rect(&b, x, y, float64(v)*scale, barH, ss[k].Color, tip)
			x += float64(v) * scale
		}
		text(&b, x+6, y+barH-3, "start", "note", r.Note)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// clip shortens a label to n characters with an ellipsis; the tooltip of
// its bar keeps it whole.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// part is one share of a shareBar: a count and its percentage.
type part struct {
	Count   int64
	Percent float64
}

// shareBar draws one bar split into the shares of each series, labelled
// with the percentage where it fits.
func shareBar(title string, parts []part, ss []series) template.HTML {
	const w, h = 960.0, 34.0
	var b strings.Builder
	svgOpen(&b, "share", title, w, h)
	var total int64
	for _, p := range parts {
		total += p.Count
	}
	x := 0.0
	for k, p := range parts {
		if p.Count == 0 {
			continue
		}
		bw := w * float64(p.Count) / float64(total)
		rect(&b, x, 0, bw, h, ss[k].Color, fmt.Sprintf("%s: %s (%s)", ss[k].Name, count(p.Count), percent(p.Percent)))
		if bw > 90 {
			text(&b, x+bw/2, h/2+5, "middle", "inside", fmt.Sprintf("%s %s", ss[k].Name, percent(p.Percent)))
		}
		x += bw
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// pairRow is one outcome under the base and the head policy.
type pairRow struct {
	Label      string
	Color      string
	Base, Head int64
}

// pairChart draws, per row, the base count as a pale bar over the head
// count as a solid one, with the change.
func pairChart(title string, rows []pairRow) template.HTML {
	const w, label, note, rowH, barH, pad = halfWidth, 80.0, 150.0, 34.0, 12.0, 6.0
	h := pad*2 + rowH*float64(len(rows))
	var b strings.Builder
	svgOpen(&b, "pairs", title, w, h)
	var max int64
	for _, r := range rows {
		max = max64(max, max64(r.Base, r.Head))
	}
	scale := (w - label - note - 8) / float64(max64(1, max))
	for i, r := range rows {
		y := pad + float64(i)*rowH
		text(&b, label-8, y+barH+4, "end", "label", r.Label)
		fmt.Fprintf(&b, `<g opacity="0.4">`)
		rect(&b, label, y, float64(r.Base)*scale, barH, r.Color, fmt.Sprintf("%s under the base policy: %s", r.Label, count(r.Base)))
		b.WriteString(`</g>`)
		rect(&b, label, y+barH+2, float64(r.Head)*scale, barH, r.Color, fmt.Sprintf("%s under the head policy: %s", r.Label, count(r.Head)))
		text(&b, label+float64(max64(r.Base, r.Head))*scale+6, y+barH+4, "start", "note",
			fmt.Sprintf("%s → %s (%s)", count(r.Base), count(r.Head), signed(r.Head-r.Base)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// cell is one entry of the transition matrix.
type cell struct {
	Count, Changed int64
	Color          string // the kind of change off the diagonal
}

// matrixChart draws the outcome transition matrix: base outcomes down,
// head outcomes across, each cell shaded by its share of the largest
// cell (on a square-root scale, so that small changes stay visible).
func matrixChart(title string, labels []string, cells [][]cell) template.HTML {
	const cw, ch, left, top = 78.0, 34.0, 100.0, 40.0
	n := float64(len(labels))
	w, h := left+cw*n+8, top+ch*n+8
	var b strings.Builder
	svgOpen(&b, "matrix", title, w, h)
	text(&b, left+cw*n/2, 14, "middle", "axis", "head policy →")
	fmt.Fprintf(&b, `<text x="14" y="%s" text-anchor="middle" class="axis" transform="rotate(-90 14 %s)">base policy →</text>`, num(top+ch*n/2), num(top+ch*n/2))
	var max int64
	for _, row := range cells {
		for _, c := range row {
			max = max64(max, c.Count)
		}
	}
	for i, l := range labels {
		text(&b, left+cw*float64(i)+cw/2, top-8, "middle", "label", l)
		text(&b, left-8, top+ch*float64(i)+ch/2+4, "end", "label", l)
	}
	for i, row := range cells {
		for j, c := range row {
			x, y := left+cw*float64(j), top+ch*float64(i)
			fmt.Fprintf(&b, `<rect class="cellbg" x="%s" y="%s" width="%s" height="%s"/>`, num(x+1), num(y+1), num(cw-2), num(ch-2))
			if c.Count == 0 {
				continue
			}
			op := 0.15 + 0.85*math.Sqrt(float64(c.Count)/float64(max64(1, max)))
			tip := fmt.Sprintf("%s → %s: %s", labels[i], labels[j], count(c.Count))
			if i == j && c.Changed > 0 {
				tip += fmt.Sprintf(" (%s with other factors or reason)", count(c.Changed))
			}
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="%.2f"><title>%s</title></rect>`,
				num(x+1), num(y+1), num(cw-2), num(ch-2), c.Color, op, esc(tip))
			class := "cell"
			if op > 0.55 {
				class = "cell light"
			}
			text(&b, x+cw/2, y+ch/2+5, "middle", class, count(c.Count))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
