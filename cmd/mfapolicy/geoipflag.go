package main

import (
	"github.com/spf13/pflag"

	"github.com/mfapolicy/mfapolicy/geoip"
)

// geoipFlagHelp is the help of --geoip on every command that takes it.
const geoipFlagHelp = "locate tenant log records that have no location_info with this MaxMind DB file (GeoLite2/GeoIP2 Country or City, or an MMDB with the same fields); records that have one are never changed"

// addGeoIPFlag registers --geoip.
func addGeoIPFlag(f *pflag.FlagSet, path *string) {
	f.StringVar(path, "geoip", "", geoipFlagHelp)
}

// openGeoIP opens the --geoip database; nil without one. A missing or bad
// file is a usage error (exit 2).
func openGeoIP(path string) (*geoip.DB, error) {
	if path == "" {
		return nil, nil
	}
	db, err := geoip.Open(path)
	if err != nil {
		return nil, inputErr(err)
	}
	return db, nil
}
