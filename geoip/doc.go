// Package geoip locates IP addresses with a MaxMind DB file (.mmdb), for
// tenant log records that carry no location_info. Auth0 fills
// event.request.geoip from its own GeoIP data; a log record without a
// location (a log-stream sample, an export that dropped it) can get the
// closest stand-in from a database the user supplies: MaxMind's GeoLite2
// or GeoIP2 Country or City, DB-IP's IP to Country/City, or any MMDB with
// the same fields; also databases whose records are a flat
// {"country_code": "US"}, as the CC0 country databases published on npm
// (ip-location-db) are.
//
//	db, err := geoip.Open("GeoLite2-City.mmdb")
//	if err != nil { ... }
//	defer db.Close()
//	loc, ok := db.Lookup("203.0.113.7") // ok: the database covers the address
//	fmt.Println(loc.CountryCode, db.Type(), db.Built())
//	out, fill, err := db.FillLogRecord(line) // adds location_info to one log record lacking it (fill == geoip.Located)
//
// Find and Location split a lookup in two: Find walks the database's
// search tree to the data record covering an address, a comparable
// Record, and Location decodes it. A caller that sees many addresses of
// few places keeps what it made of each Record and decodes each once:
//
//	r, err := db.Find(ip) // r.Found(): the database covers ip
//	loc, err := db.Location(r)
//
// A DB is safe for concurrent use. The simulator (package simulate) takes
// a DB in its options and fills event.request.geoip of the logins it maps
// from log records without location_info, before any decision is made.
package geoip
