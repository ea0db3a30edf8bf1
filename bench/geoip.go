package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/mfapolicy/mfapolicy/geoip/geoiptest"
	"github.com/mfapolicy/mfapolicy/internal/eventgen"
)

// writeLogCorpus writes n generated log-stream records without
// location_info (eventgen's mixed types), the input of the --geoip runs.
func writeLogCorpus(path string, n int, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	g := eventgen.New(seed)
	for range n {
		bw.Write(g.LogRecordWithoutLocation())
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// geoCities are the records of the benchmark's GeoIP database: City
// records as MaxMind's GeoLite2-City holds them.
var geoCities = []geoiptest.Network{
	{Country: "US", CountryName: "United States", Continent: "NA", City: "Tucson", Subdivision: "AZ", SubdivisionName: "Arizona", TimeZone: "America/Phoenix", Latitude: 32.2217, Longitude: -110.9265},
	{Country: "US", CountryName: "United States", Continent: "NA", City: "Seattle", Subdivision: "WA", SubdivisionName: "Washington", TimeZone: "America/Los_Angeles", Latitude: 47.6062, Longitude: -122.3321},
	{Country: "CA", CountryName: "Canada", Continent: "NA", City: "Toronto", Subdivision: "ON", SubdivisionName: "Ontario", TimeZone: "America/Toronto", Latitude: 43.6532, Longitude: -79.3832},
	{Country: "GB", CountryName: "United Kingdom", Continent: "EU", City: "London", Subdivision: "ENG", SubdivisionName: "England", TimeZone: "Europe/London", Latitude: 51.5072, Longitude: -0.1276},
	{Country: "DE", CountryName: "Germany", Continent: "EU", City: "Berlin", Subdivision: "BE", SubdivisionName: "Land Berlin", TimeZone: "Europe/Berlin", Latitude: 52.52, Longitude: 13.405},
	{Country: "FR", CountryName: "France", Continent: "EU", City: "Paris", Subdivision: "IDF", SubdivisionName: "Île-de-France", TimeZone: "Europe/Paris", Latitude: 48.8566, Longitude: 2.3522},
	{Country: "BR", CountryName: "Brazil", Continent: "SA", City: "São Paulo", Subdivision: "SP", SubdivisionName: "São Paulo", TimeZone: "America/Sao_Paulo", Latitude: -23.5505, Longitude: -46.6333},
	{Country: "IN", CountryName: "India", Continent: "AS", City: "Bengaluru", Subdivision: "KA", SubdivisionName: "Karnataka", TimeZone: "Asia/Kolkata", Latitude: 12.9716, Longitude: 77.5946},
	{Country: "JP", CountryName: "Japan", Continent: "AS", City: "Tokyo", Subdivision: "13", SubdivisionName: "Tokyo", TimeZone: "Asia/Tokyo", Latitude: 35.6762, Longitude: 139.6503},
	{Country: "AU", CountryName: "Australia", Continent: "OC", City: "Sydney", Subdivision: "NSW", SubdivisionName: "New South Wales", TimeZone: "Australia/Sydney", Latitude: -33.8688, Longitude: 151.2093},
	{Country: "KP", CountryName: "North Korea", Continent: "AS", City: "Pyongyang", Subdivision: "01", SubdivisionName: "Pyongyang", TimeZone: "Asia/Pyongyang", Latitude: 39.0392, Longitude: 125.7625},
	{Country: "NG", CountryName: "Nigeria", Continent: "AF", City: "Lagos", Subdivision: "LA", SubdivisionName: "Lagos", TimeZone: "Africa/Lagos", Latitude: 6.5244, Longitude: 3.3792},
}

// writeGeoDB writes the benchmark's GeoIP database: every IPv4 /16 the
// corpus draws addresses from (1.0.0.0 to 223.255.255.255) and the
// IPv6 documentation prefix, each with one of geoCities, so that every
// lookup walks the tree and decodes a City record.
func writeGeoDB(path string) error {
	var nets []geoiptest.Network
	for a := 1; a <= 223; a++ {
		for b := 0; b < 256; b++ {
			n := geoCities[(a*7+b)%len(geoCities)]
			n.CIDR = fmt.Sprintf("%d.%d.0.0/16", a, b)
			nets = append(nets, n)
		}
	}
	v6 := geoCities[4]
	v6.CIDR = "2001:db8::/32"
	nets = append(nets, v6)
	b, err := geoiptest.Build("GeoLite2-City", nets)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
