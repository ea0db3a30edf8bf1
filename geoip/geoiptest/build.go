// Package geoiptest writes small MaxMind DB files for tests, in the layout
// of MaxMind's GeoLite2/GeoIP2 City databases
// (https://dev.maxmind.com/geoip/docs/databases/city-and-country), with
// github.com/maxmind/mmdbwriter: no binary fixtures.
package geoiptest

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Network is one network of a test database and what it locates to. An
// empty City leaves the city, subdivision and coordinates out (a Country
// database's record).
type Network struct {
	CIDR            string
	Country         string // ISO code
	CountryName     string
	Continent       string
	City            string
	Subdivision     string // ISO code
	SubdivisionName string
	TimeZone        string
	Latitude        float64
	Longitude       float64
}

// Built is the build time Write gives every database.
var Built = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// Write writes a database of type dbType (such as "GeoLite2-City") holding
// nets to a file in t's temporary directory and returns its path.
func Write(t testing.TB, dbType string, nets []Network) string {
	t.Helper()
	b, err := Build(dbType, nets)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), dbType+".mmdb")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Build returns the bytes of a database of type dbType holding nets.
func Build(dbType string, nets []Network) ([]byte, error) {
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            dbType,
		Description:             map[string]string{"en": "mfapolicy test database"},
		Languages:               []string{"en"},
		IPVersion:               6,
		RecordSize:              28,
		BuildEpoch:              Built.Unix(),
		IncludeReservedNetworks: true,
	})
	if err != nil {
		return nil, err
	}
	for _, n := range nets {
		_, ipnet, err := net.ParseCIDR(n.CIDR)
		if err != nil {
			return nil, err
		}
		if err := tree.Insert(ipnet, n.record()); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if _, err := tree.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func en(s string) mmdbtype.Map { return mmdbtype.Map{"en": mmdbtype.String(s)} }

func (n Network) record() mmdbtype.Map {
	m := mmdbtype.Map{
		"continent": mmdbtype.Map{"code": mmdbtype.String(n.Continent)},
		"country":   mmdbtype.Map{"iso_code": mmdbtype.String(n.Country), "names": en(n.CountryName)},
		"registered_country": mmdbtype.Map{
			"iso_code": mmdbtype.String(n.Country), "names": en(n.CountryName),
		},
	}
	if n.City != "" {
		m["city"] = mmdbtype.Map{"names": en(n.City)}
		m["location"] = mmdbtype.Map{
			"latitude":  mmdbtype.Float64(n.Latitude),
			"longitude": mmdbtype.Float64(n.Longitude),
			"time_zone": mmdbtype.String(n.TimeZone),
		}
		m["subdivisions"] = mmdbtype.Slice{mmdbtype.Map{
			"iso_code": mmdbtype.String(n.Subdivision), "names": en(n.SubdivisionName),
		}}
	}
	return m
}

// Sample is a City database's networks in the documentation ranges
// (RFC 5737, RFC 3849): 192.0.2.0/24 in Tucson, 198.51.100.0/24 in
// Berlin, 2001:db8::/32 in Sydney; 203.0.113.0/24 is not covered.
var Sample = []Network{
	{CIDR: "192.0.2.0/24", Country: "US", CountryName: "United States", Continent: "NA", City: "Tucson",
		Subdivision: "AZ", SubdivisionName: "Arizona", TimeZone: "America/Phoenix", Latitude: 32.2217, Longitude: -110.9265},
	{CIDR: "198.51.100.0/24", Country: "DE", CountryName: "Germany", Continent: "EU", City: "Berlin",
		Subdivision: "BE", SubdivisionName: "Land Berlin", TimeZone: "Europe/Berlin", Latitude: 52.5244, Longitude: 13.4105},
	{CIDR: "2001:db8::/32", Country: "AU", CountryName: "Australia", Continent: "OC", City: "Sydney",
		Subdivision: "NSW", SubdivisionName: "New South Wales", TimeZone: "Australia/Sydney", Latitude: -33.8678, Longitude: 151.2073},
}
