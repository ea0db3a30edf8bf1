package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds the browser: $MFAPOLICY_CHROMIUM, else chromium (Debian's
// package) or Chrome on the PATH. The browser test never skips: without a
// browser it fails and says how to get one.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("MFAPOLICY_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium to open the report in: install Debian's chromium package (apt-get install chromium) or set MFAPOLICY_CHROMIUM")
	return ""
}

// pageCheck is what the browser reports about a rendered page.
type pageCheck struct {
	Charts   int      `json:"charts"`   // svg.chart elements
	Drawn    int      `json:"drawn"`    // of those, laid out with a size and marks in them
	Marks    int      `json:"marks"`    // rect elements in charts
	Tables   int      `json:"tables"`   // sortable tables
	Sortable int      `json:"sortable"` // of those, made sortable by the script
	Sections []string `json:"sections"` // ids of the sections
}

const checkJS = `(() => {
  const charts = [...document.querySelectorAll("svg.chart")];
  return {
    charts: charts.length,
    drawn: charts.filter(s => { const r = s.getBoundingClientRect(); return r.width > 100 && r.height > 20 && s.querySelector("rect"); }).length,
    marks: document.querySelectorAll("svg.chart rect").length,
    tables: document.querySelectorAll("table.sortable").length,
    sortable: document.querySelectorAll("table.sortable.ready").length,
    sections: [...document.querySelectorAll("section[id]")].map(s => s.id),
  };
})()`

// columnJS reads one column of the first sortable table in a section.
func columnJS(section string, col int) string {
	return fmt.Sprintf(`[...document.querySelectorAll("#%s table.sortable tbody tr")].map(r => r.cells[%d].textContent.trim())`, section, col)
}

// The example reports open in headless Chromium with every chart drawn,
// no console message, exception or network request, tables that sort on
// a click, and a page that prints. Screenshots, the pages and their PDFs
// are kept in the test's artifact directory (go test -artifacts).
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	sum, rep := exampleResults(t)
	dir := t.ArtifactDir()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.WindowSize(1200, 1800))
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer func() { _ = chromedp.Cancel(bctx); cancelBrowser() }()
	start := time.Now()
	if err := chromedp.Do(bctx); err != nil { // start the browser
		t.Fatalf("cannot start %s: %v", exe, err)
	}
	t.Logf("%s started in %v", exe, time.Since(start).Round(time.Millisecond))

	for _, c := range []struct {
		name   string
		render func(io.Writer) error
		charts int
		sorted string // a section whose first column sorts on a click
	}{
		{"simulate", func(w io.Writer) error { return Simulate(w, sum) }, 6, "countries"},
		{"diff", func(w io.Writer) error { return Diff(w, rep) }, 8, "transitions"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var page bytes.Buffer
			if err := c.render(&page); err != nil {
				t.Fatal(err)
			}
			if page.Len() > 1<<20 {
				t.Errorf("the %s report is %d bytes, over 1 MB", c.name, page.Len())
			}
			path := filepath.Join(dir, c.name+".html")
			if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			tctx, cancelTab := chromedp.NewContext(bctx)
			defer cancelTab()
			problems := watch(t, tctx, "file://"+path)
			start := time.Now()
			if err := chromedp.Do(tctx, chromedp.EmulateViewport(1200, 1800), chromedp.Navigate("file://"+path), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
				t.Fatal(err)
			}
			loaded := time.Since(start)
			got, err := chromedp.Run(tctx, chromedp.Evaluate[pageCheck](checkJS))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d bytes, loaded in %v: %d charts (%d drawn, %d marks), %d of %d tables sortable, sections %v",
				c.name, page.Len(), loaded.Round(time.Millisecond), got.Charts, got.Drawn, got.Marks, got.Sortable, got.Tables, got.Sections)
			if got.Charts != c.charts || got.Drawn != c.charts || got.Marks < 100 {
				t.Errorf("%d charts, %d drawn, %d marks; want %d charts, all drawn", got.Charts, got.Drawn, got.Marks, c.charts)
			}
			if got.Tables == 0 || got.Sortable != got.Tables {
				t.Errorf("%d of %d tables sortable", got.Sortable, got.Tables)
			}
			shot, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			full, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			checkSort(t, tctx, c.sorted)
			pdf, err := chromedp.Run(tctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground()))
			if err != nil {
				t.Fatal(err)
			}
			for name, data := range map[string][]byte{c.name + ".png": shot, c.name + "-full.png": full, c.name + ".pdf": pdf} {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("screenshots and PDF: %s", filepath.Join(dir, c.name)+"{.png,-full.png,.pdf}")
			for _, p := range problems() {
				t.Errorf("browser: %s", p)
			}
		})
	}
}

// checkSort clicks the first column header of a section's table and
// checks that the rows come back in ascending order, then descending.
func checkSort(t *testing.T, ctx context.Context, section string) {
	t.Helper()
	th := chromedp.CSS(fmt.Sprintf("#%s table.sortable th:first-child", section))
	for _, asc := range []bool{true, false} {
		if err := chromedp.Do(ctx, chromedp.Click(th)); err != nil {
			t.Fatal(err)
		}
		col, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](columnJS(section, 0)))
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(col); i++ {
			a, b := strings.ToLower(col[i-1]), strings.ToLower(col[i])
			if asc && a > b || !asc && a < b {
				t.Errorf("#%s sorted ascending=%v, but %q comes before %q", section, asc, col[i-1], col[i])
				break
			}
		}
		if len(col) < 2 {
			t.Errorf("#%s has %d rows", section, len(col))
		}
	}
}

// watch collects, for one tab, every console message, uncaught exception,
// browser log entry and request other than the page itself: a
// self-contained report makes none.
func watch(t *testing.T, ctx context.Context, self string) func() []string {
	var mu sync.Mutex
	var out []string
	add := func(s string) { mu.Lock(); out = append(out, s); mu.Unlock() }
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			add(fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			add(fmt.Sprintf("exception at line %d: %s", d.LineNumber+1, msg))
		case *log.EventEntryAdded:
			add(fmt.Sprintf("log %s %s: %s %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
		case *network.EventRequestWillBeSent:
			if ev.Request.URL != self {
				add("request: " + ev.Request.URL)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), out...)
	}
}
