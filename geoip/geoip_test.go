package geoip_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/geoip"
	"github.com/mfapolicy/mfapolicy/geoip/geoiptest"
)

func open(t *testing.T) *geoip.DB {
	t.Helper()
	db, err := geoip.Open(geoiptest.Write(t, "GeoLite2-City", geoiptest.Sample))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestLookup(t *testing.T) {
	db := open(t)
	if db.Type() != "GeoLite2-City" || !db.Built().Equal(geoiptest.Built) {
		t.Fatalf("metadata: %q %v", db.Type(), db.Built())
	}
	loc, ok := db.Lookup("192.0.2.7")
	if !ok || loc.CountryCode != "US" || loc.CountryName != "United States" || loc.ContinentCode != "NA" ||
		loc.CityName != "Tucson" || loc.SubdivisionCode != "AZ" || loc.SubdivisionName != "Arizona" ||
		loc.TimeZone != "America/Phoenix" || loc.Latitude == nil || *loc.Latitude != 32.2217 ||
		loc.Longitude == nil || *loc.Longitude != -110.9265 || loc.CountryCode3 != "" {
		t.Fatalf("192.0.2.7: %+v %v", loc, ok)
	}
	if loc, ok := db.Lookup("2001:db8::1"); !ok || loc.CountryCode != "AU" {
		t.Fatalf("2001:db8::1: %+v %v", loc, ok)
	}
	if loc, ok := db.Lookup("::ffff:198.51.100.3"); !ok || loc.CountryCode != "DE" {
		t.Fatalf("mapped IPv4: %+v %v", loc, ok)
	}
	for _, ip := range []string{"203.0.113.9", "", "not an ip", "2001:db9::1"} {
		if loc, ok := db.Lookup(ip); ok {
			t.Errorf("%q: found %+v", ip, loc)
		}
	}
	if _, err := db.LookupErr("nope"); err != geoip.ErrNotAnAddress {
		t.Errorf("LookupErr: %v", err)
	}
}

func TestCountryDatabase(t *testing.T) {
	nets := []geoiptest.Network{{CIDR: "192.0.2.0/24", Country: "FR", CountryName: "France", Continent: "EU"}}
	db, err := geoip.Open(geoiptest.Write(t, "GeoLite2-Country", nets))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc, ok := db.Lookup("192.0.2.1")
	if !ok || loc.CountryCode != "FR" || loc.CityName != "" || loc.Latitude != nil || loc.TimeZone != "" {
		t.Fatalf("%+v %v", loc, ok)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.mmdb")
	if err := os.WriteFile(bad, []byte("<html>not a database</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.mmdb"), "no such file"},
		{bad, "not a MaxMind DB (.mmdb) file"},
		{dir, "not a MaxMind DB"},
	} {
		_, err := geoip.Open(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
	}
}

func TestFillLogRecord(t *testing.T) {
	db := open(t)
	in := `{"log_id":"1","type":"s","ip":"198.51.100.20","user_id":"auth0|1"}`
	out, fill, err := db.FillLogRecord([]byte(in))
	if err != nil || fill != geoip.Located {
		t.Fatal(fill, err)
	}
	if !strings.HasPrefix(string(out), in[:len(in)-1]+`,"location_info":{"country_code":"DE"`) {
		t.Fatalf("%s", out)
	}
	var rec struct {
		LocationInfo geoip.LogInfo `json:"location_info"`
	}
	if err := json.Unmarshal(out, &rec); err != nil || rec.LocationInfo.CityName != "Berlin" || rec.LocationInfo.SubdivisionCode != "BE" {
		t.Fatalf("%s: %v", out, err)
	}
	// A record with a location, without an ip, or outside the database
	// is returned as it is.
	for _, in := range []string{
		`{"type":"s","ip":"198.51.100.20","location_info":{"country_code":"FR"}}`,
		`{"type":"s"}`,
		`{"type":"s","ip":"203.0.113.1"}`,
	} {
		want := geoip.NotCovered
		if strings.Contains(in, "FR") {
			want = geoip.HadLocation
		}
		out, fill, err := db.FillLogRecord([]byte(in))
		if err != nil || fill != want || string(out) != in {
			t.Errorf("%s: %s %v %v, want %v", in, out, fill, err, want)
		}
	}
	for _, in := range []string{`{"ip":"192.0.2.1","location_info":null}`, `{"ip":"192.0.2.1","location_info":{ }}`} {
		out, fill, err = db.FillLogRecord([]byte(in))
		if err != nil || fill != geoip.Located || strings.Count(string(out), "location_info") != 1 || !strings.Contains(string(out), `"country_code":"US"`) {
			t.Fatalf("%s: %s %v %v", in, out, fill, err)
		}
	}
	if _, _, err := db.FillLogRecord([]byte(`[1]`)); err == nil {
		t.Fatal("an array is not a log record")
	}
}

func TestFind(t *testing.T) {
	// Two networks with the same place share one data record.
	nets := append([]geoiptest.Network{}, geoiptest.Sample...)
	tucson2 := geoiptest.Sample[0]
	tucson2.CIDR = "198.18.0.0/15"
	nets = append(nets, tucson2)
	db, err := geoip.Open(geoiptest.Write(t, "GeoLite2-City", nets))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	find := func(ip string) geoip.Record {
		t.Helper()
		r, err := db.Find(ip)
		if err != nil {
			t.Fatalf("%s: %v", ip, err)
		}
		return r
	}
	a, b, c, berlin := find("192.0.2.1"), find("192.0.2.200"), find("198.19.4.4"), find("198.51.100.1")
	if !a.Found() || a != b || a != c || a == berlin || !berlin.Found() {
		t.Fatalf("records: %v %v %v %v", a, b, c, berlin)
	}
	if r := find("203.0.113.9"); r.Found() || r != (geoip.Record{}) {
		t.Errorf("not covered: %v", r)
	}
	if _, err := db.Find("not an ip"); err != geoip.ErrNotAnAddress {
		t.Errorf("Find: %v", err)
	}
	for _, ip := range []string{"192.0.2.7", "198.19.4.4", "::ffff:198.51.100.3", "2001:db8::1", "203.0.113.9"} {
		loc, err := db.Location(find(ip))
		want, werr := db.LookupErr(ip)
		if err != nil || werr != nil || loc != want {
			t.Errorf("%s: Location %+v %v, LookupErr %+v %v", ip, loc, err, want, werr)
		}
	}
	if loc, err := db.Location(find("198.19.0.1")); err != nil || loc.CityName != "Tucson" || *loc.Latitude != 32.2217 {
		t.Errorf("shared record: %+v %v", loc, err)
	}
}
