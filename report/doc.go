// Package report renders the results of a simulation (simulate.Summary)
// and of a diff (diff.Report) as one self-contained HTML page: styles,
// script and charts are inline, so the file opens anywhere with no
// network. Charts are SVG drawn here in Go, so the page reads without
// JavaScript and prints; the small inline script only makes tables
// sortable.
//
// Renderers only format: every number on the page is a field of the
// summary or report it is given.
//
//	sum, err := simulate.Run(ctx, opts)
//	if err != nil { ... }
//	f, _ := os.Create("report.html")
//	defer f.Close()
//	if err := report.Simulate(f, sum); err != nil { ... }
//
// docs/report.md describes the page.
package report
