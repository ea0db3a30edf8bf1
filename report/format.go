package report

import (
	"fmt"
	"strconv"
	"time"
)

// count prints a number with thousands separators: 12,345.
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// signed prints a change with its sign: +12, -3, ±0.
func signed(n int64) string {
	switch {
	case n > 0:
		return "+" + count(n)
	case n == 0:
		return "±0"
	}
	return count(n)
}

// percent prints a share with one decimal: 28.8%.
func percent(p float64) string { return strconv.FormatFloat(p, 'f', 1, 64) + "%" }

// dayColumn labels a YYYY-MM-DD day for a time chart: the full date in
// tooltips, a tick on Mondays and on the first and last day, and a shade
// on weekends. A name that is not a date is shown as it is.
func dayColumn(name string, i, n int) column {
	d, err := time.Parse(time.DateOnly, name)
	if err != nil {
		return column{Label: name, Tick: name}
	}
	c := column{Label: d.Format("Mon 2 Jan 2006")}
	c.Shade = d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
	wd := (int(d.Weekday()) + 6) % 7 // Monday = 0
	switch {
	case n <= 14, i == 0,
		wd == 0 && i > 2,    // a Monday not crowding the first tick
		i == n-1 && wd >= 3: // the last day, not crowding its Monday
		c.Tick = d.Format("2 Jan")
	}
	if n > 62 && !(d.Day() == 1 || i == 0) {
		c.Tick = "" // a long span: months only
	}
	return c
}

// span names the first and last day of a list of day names.
func span(first, last string) string {
	if first == last {
		return first
	}
	return fmt.Sprintf("%s to %s", first, last)
}

// plural picks the singular or plural wording for n.
func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
