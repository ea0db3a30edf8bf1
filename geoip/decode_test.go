package geoip

import (
	"bytes"
	"net"
	"net/netip"
	"reflect"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/oschwald/maxminddb-golang/v2"
)

// reflRecord is record without its cursor decoder: decoded by reflection.
type reflRecord record

func en(s string) mmdbtype.Map {
	return mmdbtype.Map{"en": mmdbtype.String(s), "de": mmdbtype.String(s + " (de)")}
}

// records are database records of every layout Lookup reads, with the
// members a real GeoIP2 City record has besides, in the documentation
// ranges.
var records = map[string]mmdbtype.DataType{
	"192.0.2.0/24": mmdbtype.Map{
		"city":      mmdbtype.Map{"geoname_id": mmdbtype.Uint32(5318313), "names": en("Tucson")},
		"continent": mmdbtype.Map{"code": mmdbtype.String("NA"), "geoname_id": mmdbtype.Uint32(6255149), "names": en("North America")},
		"country": mmdbtype.Map{"geoname_id": mmdbtype.Uint32(6252001), "iso_code": mmdbtype.String("US"),
			"is_in_european_union": mmdbtype.Bool(false), "names": en("United States")},
		"location": mmdbtype.Map{"accuracy_radius": mmdbtype.Uint16(20), "latitude": mmdbtype.Float64(32.2217),
			"longitude": mmdbtype.Float64(-110.9265), "metro_code": mmdbtype.Uint16(789), "time_zone": mmdbtype.String("America/Phoenix")},
		"postal":             mmdbtype.Map{"code": mmdbtype.String("85701")},
		"registered_country": mmdbtype.Map{"iso_code": mmdbtype.String("US"), "names": en("United States")},
		"subdivisions": mmdbtype.Slice{
			mmdbtype.Map{"geoname_id": mmdbtype.Uint32(5551752), "iso_code": mmdbtype.String("AZ"), "names": en("Arizona")},
			mmdbtype.Map{"iso_code": mmdbtype.String("PIM"), "names": en("Pima")},
		},
		"traits": mmdbtype.Map{"is_anycast": mmdbtype.Bool(false), "network": mmdbtype.String("x")},
	},
	// A Country record; DB-IP's country layout is the same.
	"198.51.100.0/24": mmdbtype.Map{
		"continent": mmdbtype.Map{"code": mmdbtype.String("EU")},
		"country":   mmdbtype.Map{"iso_code": mmdbtype.String("DE"), "iso_code3": mmdbtype.String("DEU"), "names": en("Germany")},
	},
	// ip-location-db's flat country databases.
	"203.0.113.0/25": mmdbtype.Map{"country_code": mmdbtype.String("FR")},
	// Empty subdivisions, no names.
	"203.0.113.128/26": mmdbtype.Map{"country": mmdbtype.Map{"iso_code": mmdbtype.String("JP")}, "subdivisions": mmdbtype.Slice{}},
	// Wrong kinds: both decoders must refuse them.
	"203.0.113.192/27": mmdbtype.Map{"location": mmdbtype.Map{"latitude": mmdbtype.String("north")}},
	"203.0.113.224/27": mmdbtype.Map{"country": mmdbtype.String("US")},
}

func TestCursorMatchesReflection(t *testing.T) {
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoIP2-City", IncludeReservedNetworks: true, RecordSize: 28})
	if err != nil {
		t.Fatal(err)
	}
	for cidr, v := range records {
		_, n, _ := net.ParseCIDR(cidr)
		if err := tree.Insert(n, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := tree.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := maxminddb.OpenBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	decoded, refused := 0, 0
	for cidr := range records {
		ip := netip.MustParsePrefix(cidr).Addr()
		res := r.Lookup(ip)
		var byCursor record
		var byReflection reflRecord
		errC, errR := res.Decode(&byCursor), res.Decode(&byReflection)
		if (errC != nil) != (errR != nil) {
			t.Errorf("%s: cursor error %v, reflection error %v", cidr, errC, errR)
			continue
		}
		if errC != nil {
			refused++
			continue
		}
		decoded++
		want := record(byReflection)
		if got := byCursor.location(); !reflect.DeepEqual(got, want.location()) {
			t.Errorf("%s:\n cursor     %+v\n reflection %+v", cidr, got, want.location())
		}
	}
	if decoded != 4 || refused != 2 {
		t.Errorf("%d records decoded, %d refused; want 4 and 2", decoded, refused)
	}
	var tucson record
	if err := r.Lookup(netip.MustParseAddr("192.0.2.1")).Decode(&tucson); err != nil {
		t.Fatal(err)
	}
	if l := tucson.location(); l.SubdivisionCode != "AZ" || l.CityName != "Tucson" || *l.Longitude != -110.9265 || l.TimeZone != "America/Phoenix" {
		t.Errorf("Tucson: %+v", l)
	}
}
