package report

import (
	"embed"
	"fmt"
	"html/template"
	"strings"

	"github.com/mfapolicy/mfapolicy/diff"
	"github.com/mfapolicy/mfapolicy/internal/buildinfo"
	"github.com/mfapolicy/mfapolicy/simulate"
)

//go:embed assets
var assets embed.FS

// page holds the templates of both reports, with the style sheet and the
// script inlined.
var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"count":    count,
	"join":     func(s []string) string { return strings.Join(s, ", ") },
	"pct":      percent,
	"signed":   signed,
	"plural":   plural,
	"outcomes": outcomeValues,
	"kinds":    kindValues,
	"rules":    ruleList,
	"decision": decision,
	"style":    func() template.CSS { return template.CSS(asset("assets/report.css")) },
	"script":   func() template.JS { return template.JS(asset("assets/report.js")) },
	// tool is the version line of the mfapolicy that wrote the report.
	"tool": func() string { return buildinfo.Read().Line() },
	// color and kindColor take an outcome or kind, or its name.
	"color": func(o any) template.CSS {
		return template.CSS(outcomeColors[simulate.Outcome(fmt.Sprint(o))])
	},
	"kindColor": func(k any) template.CSS {
		return template.CSS(kindColors[diff.Kind(fmt.Sprint(k))])
	},
	"impactTable": func(column string, rows []diff.Impact) impactTable {
		return impactTable{Column: column, Rows: rows}
	},
}).ParseFS(assets, "assets/*.html"))

// impactTable is a table of users affected per application or country.
type impactTable struct {
	Column string
	Rows   []diff.Impact
}

func asset(name string) string {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}
