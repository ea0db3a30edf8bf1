package policy

import (
	"fmt"
	"strconv"
	"strings"
)

// ZoneOffset resolves the time zone argument of a timestamp getter
// (`t.getHours('+02:00')`) to its offset in seconds east of UTC, as cel-go
// reads it: "UTC" and "" are UTC, text with a colon is a fixed offset
// [+|-]hours:minutes. Named zones (`'Europe/Paris'`) are refused: their
// rules come from the tz database, which Go and the Node.js of Auth0 may
// hold in different versions, and which the simulator's JavaScript
// interpreter does not have, so the Action could decide differently from
// its preview.
func ZoneOffset(zone string) (int, error) {
	if zone == "UTC" || zone == "" {
		return 0, nil
	}
	i := strings.IndexByte(zone, ':')
	if i < 0 {
		return 0, fmt.Errorf("the time zone %q is a named zone; policies take UTC or a fixed offset such as '+02:00' or '-05:30', because named zones' rules (daylight saving time) cannot be guaranteed identical in Auth0's Node.js and the simulator", zone)
	}
	hr, err1 := strconv.Atoi(zone[:i])
	mins, err2 := strconv.Atoi(zone[i+1:])
	if err1 != nil || err2 != nil || hr < -23 || hr > 23 || mins < 0 || mins > 59 {
		return 0, fmt.Errorf("the time zone %q is not a fixed offset [+|-]HH:MM with hours in [-23, 23] and minutes in [0, 59]", zone)
	}
	off := hr*60 + mins
	if zone[0] == '-' {
		off = hr*60 - mins
	}
	return off * 60, nil
}
