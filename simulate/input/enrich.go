package input

import (
	"bytes"

	gojson "github.com/goccy/go-json"

	"github.com/mfapolicy/mfapolicy/geoip"
)

// Enrichment adds to the events mapped from tenant log records what log
// records do not carry: a location from a GeoIP database for a record
// without location_info, and the user's roles from the tenant context.
// It acts on the mapped event before its JSON is made, so that every way
// of replaying the login (by class, --exact, a hand-written --action)
// reads the same event. One Enrichment serves one goroutine (a worker,
// or a Reader): it keeps what it made before without a lock.
type Enrichment struct {
	geo *geoip.DB
	// places holds what was made of each database record seen, at most
	// placesSize of them, so that a login from a place seen before costs
	// the search of the database's tree and one map read: no decoding,
	// no allocation, and its request.geoip is not marshaled again.
	places map[geoip.Record]*place
	// enc writes into buf the two halves of an event whose
	// request.geoip comes from places (marshal); they are kept here so
	// that handing them to enc allocates nothing.
	buf  bytes.Buffer
	enc  *gojson.Encoder
	head eventHead
	tail eventTail
	// roles maps a user_id to the names of the user's roles; nil when
	// the tenant context has no roles.
	roles map[string][]string
}

// place is what an enrichment made of one database record.
type place struct {
	// found: the record has a country (geoip.DB.Lookup's ok); else the
	// login's request.geoip stays empty.
	found bool
	geoip mappedGeoip
	// json is geoip marshaled as encoding/json marshals it inside the
	// event, made the second time the place is used: the event of a
	// place seen once is marshaled whole, as it would be without places.
	// It stays nil when geoip cannot be marshaled (a coordinate that is
	// not a number), and the event fails as it would have.
	json []byte
	seen bool
}

// NewEnrichment is the enrichment from a GeoIP database and the tenant
// context's roles (a user_id to the names of the user's roles), either
// may be nil; nil when both are.
func NewEnrichment(geo *geoip.DB, roles map[string][]string) *Enrichment {
	if geo == nil && roles == nil {
		return nil
	}
	en := &Enrichment{geo: geo, roles: roles, places: map[geoip.Record]*place{}}
	en.enc = gojson.NewEncoder(&en.buf)
	return en
}

// placesSize bounds enrichment.places: when it is full it starts over, so
// that it holds the places of the logins read last.
const placesSize = 1 << 12

// GeoSource says where a mapped login's request.geoip came from.
type GeoSource uint8

const (
	// GeoAsRead: no GeoIP database, or a post-login event object.
	GeoAsRead GeoSource = iota
	// GeoFromLog: the log record had location_info, kept as it was.
	GeoFromLog
	// GeoFromDB: filled from the GeoIP database.
	GeoFromDB
	// GeoNotFound: the database does not cover request.ip (or there is
	// none); request.geoip stays empty.
	GeoNotFound
)

// RolesSource says where a mapped login's authorization.roles came from.
type RolesSource uint8

const (
	RolesAbsent     RolesSource = iota // no roles in the tenant context
	RolesFromTenant                    // the user's roles from the tenant context
	RolesUnknown                       // the tenant context does not know the user
)

// Enriched is what enrichment did to one login, for the summary.
type Enriched struct {
	Geo   GeoSource
	Roles RolesSource
}

// apply enriches ev, mapped from l, and says what it did; from is the
// place its request.geoip was filled from (nil: none), for marshal. A
// nil enrichment does nothing.
func (en *Enrichment) apply(l *logRecord, ev *mappedEvent) (out Enriched, from *place) {
	if en == nil {
		return out, nil
	}
	if en.geo != nil {
		out.Geo, from = en.locate(l, ev)
	}
	if en.roles != nil {
		if rs, ok := en.roles[l.UserID]; ok {
			ev.Authorization = &mappedAuthorization{Roles: append([]string{}, rs...)}
			out.Roles = RolesFromTenant
		} else {
			out.Roles = RolesUnknown
		}
	}
	return out, from
}

// locate fills request.geoip of a record without a location; a record
// that has one is never changed. A location_info that is absent, null, not
// an object or an object without any of its fields ({}) is no location.
// The request.geoip it fills is the one geoip.DB.Lookup's Location maps
// to.
func (en *Enrichment) locate(l *logRecord, ev *mappedEvent) (GeoSource, *place) {
	if l.LocationInfo.any() {
		return GeoFromLog, nil
	}
	r, err := en.geo.Find(l.IP)
	if err != nil || !r.Found() {
		return GeoNotFound, nil
	}
	p := en.places[r]
	if p == nil {
		p = en.placeOf(r)
		if len(en.places) >= placesSize {
			clear(en.places)
		}
		en.places[r] = p
	}
	if !p.found {
		return GeoNotFound, nil
	}
	ev.Request.Geoip = p.geoip
	return GeoFromDB, p
}

// placeOf decodes a database record into a place.
func (en *Enrichment) placeOf(r geoip.Record) *place {
	loc, err := en.geo.Location(r)
	if err != nil || loc.CountryCode == "" {
		return &place{}
	}
	p := &place{found: true}
	g := &p.geoip
	g.CountryCode = str(loc.CountryCode)
	g.CountryCode3 = str(loc.CountryCode3)
	g.CountryName = str(loc.CountryName)
	g.ContinentCode = str(loc.ContinentCode)
	g.CityName = str(loc.CityName)
	g.SubdivisionCode = str(loc.SubdivisionCode)
	g.SubdivisionName = str(loc.SubdivisionName)
	g.TimeZone = str(loc.TimeZone)
	g.Latitude, g.Longitude = loc.Latitude, loc.Longitude
	return p
}

// marshal is encoding/json's Marshal(ev), byte for byte, made by
// goccy/go-json, which writes these events about 2.7 times as fast
// (TestMappedJSONIsEncodingJSONs holds the two to the same bytes). For an
// event whose request.geoip was filled from a place seen before, it
// marshals the event's two halves, the head with an empty request.geoip,
// which ends it as "geoip":{}}} (geoip, request, head), and puts the
// place's JSON in its stead: the geoip of a place is marshaled at most
// twice.
func (en *Enrichment) marshal(ev *mappedEvent, from *place) ([]byte, error) {
	if from == nil {
		return gojson.Marshal(ev)
	}
	if from.json == nil {
		if !from.seen {
			from.seen = true
			return gojson.Marshal(ev)
		}
		js, err := gojson.Marshal(&from.geoip)
		if err != nil {
			return gojson.Marshal(ev)
		}
		from.json = js
	}
	const emptyGeoip = `"geoip":{}}}`
	en.head = eventHead{ev.Authentication, ev.Authorization, ev.Client, ev.Connection, ev.Organization, ev.Request}
	en.head.Request.Geoip = mappedGeoip{}
	en.tail = eventTail{ev.Secrets, ev.Session, ev.Stats, ev.Tenant, ev.Transaction, ev.User}
	en.buf.Reset()
	err := en.enc.Encode(&en.head)
	half := en.buf.Len()
	if err == nil {
		err = en.enc.Encode(&en.tail)
	}
	en.head, en.tail = eventHead{}, eventTail{}
	b := en.buf.Bytes()
	if err != nil || half < len(emptyGeoip)+1 || len(b) < half+3 {
		return gojson.Marshal(ev)
	}
	// Encode ends each value with a newline.
	head, tail := b[:half-1], b[half:len(b)-1]
	if !bytes.HasSuffix(head, []byte(emptyGeoip)) || tail[0] != '{' {
		return gojson.Marshal(ev)
	}
	head = head[:len(head)-len(`{}}}`)]
	out := make([]byte, 0, len(head)+len(from.json)+len(tail)+1)
	out = append(out, head...)
	out = append(out, from.json...)
	out = append(out, '}', ',')
	return append(out, tail[1:]...), nil
}

// str is nil for the empty string: a field the database does not give is
// left out of the event, as Auth0 leaves out what it does not know.
func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
