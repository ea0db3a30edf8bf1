package geoip

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oschwald/maxminddb-golang/v2"
)

// DB is an opened MaxMind DB file.
type DB struct {
	r    *maxminddb.Reader
	path string
	// decoded remembers the Location of each data record decoded so far
	// (by its offset), at most cacheSize of them: decoding a record is
	// most of a lookup's cost, and logins come from few places.
	decoded sync.Map
	cached  atomic.Int64
}

// cacheSize bounds the records a DB remembers: a GeoLite2-City record is
// about 200 bytes as a Location.
const cacheSize = 1 << 14

// Open opens a MaxMind DB file. The error names the file and says what is
// wrong with it: missing, unreadable, or not a MaxMind DB.
func Open(path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("cannot open the GeoIP database: %w", err)
	}
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open the GeoIP database %s: not a MaxMind DB (.mmdb) file: %w", path, err)
	}
	if r.Metadata.IPVersion != 4 && r.Metadata.IPVersion != 6 {
		r.Close()
		return nil, fmt.Errorf("cannot open the GeoIP database %s: unknown IP version %d in its metadata", path, r.Metadata.IPVersion)
	}
	return &DB{r: r, path: path}, nil
}

// Close releases the file. Closing no database (nil) does nothing, so
// that a command whose --geoip is optional can defer it unconditionally.
func (db *DB) Close() error {
	if db == nil {
		return nil
	}
	return db.r.Close()
}

// Path is the file the database was opened from.
func (db *DB) Path() string { return db.path }

// Type is the database_type of the metadata, such as GeoLite2-City or
// GeoIP2-Country: what the summary names the database by.
func (db *DB) Type() string { return db.r.Metadata.DatabaseType }

// Built is when the database was built (build_epoch of the metadata), in
// UTC: lookups are as current as that date.
func (db *DB) Built() time.Time { return db.r.Metadata.BuildTime().UTC() }

// Location is what a database says of one address, in the terms of
// Auth0's event.request.geoip (post-login event object:
// https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object).
// Empty strings and nil coordinates are what the database does not say.
// Locations of one database record share their coordinates: treat them as
// read-only. Locations are comparable: two from the same record are equal.
type Location struct {
	CountryCode     string
	CountryCode3    string
	CountryName     string
	ContinentCode   string
	CityName        string
	SubdivisionCode string
	SubdivisionName string
	TimeZone        string
	Latitude        *float64
	Longitude       *float64
}

// record is the part of a database record Lookup reads: the fields of a
// MaxMind GeoIP2/GeoLite2 Country or City record (names in English), and
// the flat country_code of ip-location-db's country databases.
// Layout: https://dev.maxmind.com/geoip/docs/databases/city-and-country
type record struct {
	City struct {
		Names names `maxminddb:"names"`
	} `maxminddb:"city"`
	Continent struct {
		Code string `maxminddb:"code"`
	} `maxminddb:"continent"`
	Country struct {
		ISOCode  string `maxminddb:"iso_code"`
		ISOCode3 string `maxminddb:"iso_code3"`
		Names    names  `maxminddb:"names"`
	} `maxminddb:"country"`
	Location struct {
		Latitude  *float64 `maxminddb:"latitude"`
		Longitude *float64 `maxminddb:"longitude"`
		TimeZone  string   `maxminddb:"time_zone"`
	} `maxminddb:"location"`
	Subdivisions []subdivision `maxminddb:"subdivisions"`
	CountryCode  string        `maxminddb:"country_code"`
}

type subdivision struct {
	ISOCode string `maxminddb:"iso_code"`
	Names   names  `maxminddb:"names"`
}

type names struct {
	En string `maxminddb:"en"`
}

// ErrNotAnAddress is returned by LookupErr for text that is not an IP
// address.
var ErrNotAnAddress = errors.New("not an IP address")

// Lookup locates ip (IPv4 or IPv6 text). ok is false when ip is not an
// address, when the database does not cover it, or when its record has
// no country.
func (db *DB) Lookup(ip string) (Location, bool) {
	loc, err := db.LookupErr(ip)
	return loc, err == nil && loc.CountryCode != ""
}

// LookupErr is Lookup with the reason: ErrNotAnAddress, an error of the
// database for a corrupt record, or nil with an empty Location when the
// database does not cover the address.
func (db *DB) LookupErr(ip string) (Location, error) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return Location{}, ErrNotAnAddress
	}
	addr = addr.Unmap()
	if addr.Is6() && db.r.Metadata.IPVersion == 4 {
		return Location{}, nil
	}
	res := db.r.Lookup(addr)
	if res.Err() != nil {
		return Location{}, fmt.Errorf("GeoIP database %s: %w", db.path, res.Err())
	}
	if !res.Found() {
		return Location{}, nil
	}
	off := res.Offset()
	if l, ok := db.decoded.Load(off); ok {
		return l.(Location), nil
	}
	var rec record
	if err := res.Decode(&rec); err != nil {
		return Location{}, fmt.Errorf("GeoIP database %s: the record of %s: %w", db.path, ip, err)
	}
	l := rec.location()
	if db.cached.Load() < cacheSize {
		if _, loaded := db.decoded.LoadOrStore(off, l); !loaded {
			db.cached.Add(1)
		}
	}
	return l, nil
}

func (rec *record) location() Location {
	l := Location{
		CountryCode:   rec.Country.ISOCode,
		CountryCode3:  rec.Country.ISOCode3,
		CountryName:   rec.Country.Names.En,
		ContinentCode: rec.Continent.Code,
		CityName:      rec.City.Names.En,
		TimeZone:      rec.Location.TimeZone,
		Latitude:      rec.Location.Latitude,
		Longitude:     rec.Location.Longitude,
	}
	if l.CountryCode == "" {
		l.CountryCode = rec.CountryCode
	}
	// The first subdivision is the largest (MaxMind lists them from
	// largest to smallest), which is what Auth0's subdivisionCode holds
	// in its samples (a US state).
	if len(rec.Subdivisions) > 0 {
		l.SubdivisionCode = rec.Subdivisions[0].ISOCode
		l.SubdivisionName = rec.Subdivisions[0].Names.En
	}
	return l
}
