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

// ErrNotAnAddress is returned by LookupErr and Find for text that is not
// an IP address.
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
	r, err := db.Find(ip)
	if err != nil || !r.found {
		return Location{}, err
	}
	l, err := db.decode(r.off)
	if err != nil {
		return Location{}, fmt.Errorf("GeoIP database %s: the record of %s: %w", db.path, ip, err)
	}
	return l, nil
}

// Record is the data record of a database that covers an address, found
// by Find and not yet decoded. Every address of the database's networks
// that share a record gets an equal Record, and Records are comparable:
// a caller that keeps what it made of each Record (in a map keyed by it)
// decodes and converts each place once rather than once per address, and
// without the DB's own cache, which is shared by every goroutine. The
// simulator keeps one such map per worker. A Record belongs to the DB
// that found it. The zero Record is the record of an address the
// database does not cover.
type Record struct {
	off   uintptr
	found bool
}

// Found says whether the database covers the address: false for the zero
// Record.
func (r Record) Found() bool { return r.found }

// Find finds the record of ip (IPv4 or IPv6 text) without decoding it:
// ErrNotAnAddress for text that is not an address, an error of the
// database for a corrupt search tree, or the zero Record when the
// database does not cover the address. Location decodes the Record;
// together they are LookupErr.
func (db *DB) Find(ip string) (Record, error) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return Record{}, ErrNotAnAddress
	}
	addr = addr.Unmap()
	if addr.Is6() && db.r.Metadata.IPVersion == 4 {
		return Record{}, nil
	}
	res := db.r.Lookup(addr)
	if res.Err() != nil {
		return Record{}, fmt.Errorf("GeoIP database %s: %w", db.path, res.Err())
	}
	if !res.Found() {
		return Record{}, nil
	}
	return Record{off: res.Offset(), found: true}, nil
}

// Location decodes a Record of this DB: what the database says of the
// addresses it covers (empty for the zero Record), or an error of the
// database for a corrupt record.
func (db *DB) Location(r Record) (Location, error) {
	if !r.found {
		return Location{}, nil
	}
	l, err := db.decode(r.off)
	if err != nil {
		return Location{}, fmt.Errorf("GeoIP database %s: the record at data offset %d: %w", db.path, r.off, err)
	}
	return l, nil
}

// decode is the Location of the data record at off, from the DB's cache
// when it was decoded before.
func (db *DB) decode(off uintptr) (Location, error) {
	if l, ok := db.decoded.Load(off); ok {
		return l.(Location), nil
	}
	var rec record
	if err := db.r.LookupOffset(off).Decode(&rec); err != nil {
		return Location{}, err
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
