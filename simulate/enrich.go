package simulate

import (
	"fmt"

	"github.com/mfapolicy/mfapolicy/geoip"
)

// enrichment adds to the events mapped from tenant log records what log
// records do not carry: a location from a GeoIP database for a record
// without location_info, and the user's roles from the tenant context.
// It acts on the mapped event before its JSON is made, so that every way
// of replaying the login (by class, --exact, a hand-written --action)
// reads the same event.
type enrichment struct {
	geo *geoip.DB
	// mapped holds the request.geoip of each location seen, at most
	// mappedSize of them, so that a login from a place seen before costs
	// no allocation (one enrichment per worker: no lock).
	mapped map[geoip.Location]mappedGeoip
	// roles maps a user_id to the names of the user's roles; nil when
	// the tenant context has no roles.
	roles map[string][]string
}

// enrichmentOf is the enrichment a run's options ask for; nil for none.
func enrichmentOf(opts Options) *enrichment {
	var roles map[string][]string
	if opts.Tenant != nil {
		roles = opts.Tenant.Roles
	}
	if opts.GeoIP == nil && roles == nil {
		return nil
	}
	return &enrichment{geo: opts.GeoIP, roles: roles, mapped: map[geoip.Location]mappedGeoip{}}
}

// mappedSize bounds enrichment.mapped.
const mappedSize = 1 << 12

// geoSource says where a mapped login's request.geoip came from.
type geoSource uint8

const (
	// geoAsRead: no GeoIP database, or a post-login event object.
	geoAsRead geoSource = iota
	// geoFromLog: the log record had location_info, kept as it was.
	geoFromLog
	// geoFromDB: filled from the GeoIP database.
	geoFromDB
	// geoNotFound: the database does not cover request.ip (or there is
	// none); request.geoip stays empty.
	geoNotFound
)

// rolesSource says where a mapped login's authorization.roles came from.
type rolesSource uint8

const (
	rolesAbsent     rolesSource = iota // no roles in the tenant context
	rolesFromTenant                    // the user's roles from the tenant context
	rolesUnknown                       // the tenant context does not know the user
)

// enriched is what enrichment did to one login, for the summary.
type enriched struct {
	geo   geoSource
	roles rolesSource
}

// apply enriches ev, mapped from l. A nil enrichment does nothing.
func (en *enrichment) apply(l *logRecord, ev *mappedEvent) enriched {
	var out enriched
	if en == nil {
		return out
	}
	if en.geo != nil {
		out.geo = en.locate(l, ev)
	}
	if en.roles != nil {
		if rs, ok := en.roles[l.UserID]; ok {
			ev.Authorization = &mappedAuthorization{Roles: append([]string{}, rs...)}
			out.roles = rolesFromTenant
		} else {
			out.roles = rolesUnknown
		}
	}
	return out
}

// locate fills request.geoip of a record without a location; a record
// that has one is never changed. A location_info that is absent, null, not
// an object or an object without any of its fields ({}) is no location.
func (en *enrichment) locate(l *logRecord, ev *mappedEvent) geoSource {
	if l.LocationInfo.any() {
		return geoFromLog
	}
	loc, ok := en.geo.Lookup(l.IP)
	if !ok {
		return geoNotFound
	}
	if g, ok := en.mapped[loc]; ok {
		ev.Request.Geoip = g
		return geoFromDB
	}
	g := &ev.Request.Geoip
	defer func() {
		if len(en.mapped) < mappedSize {
			en.mapped[loc] = *g
		}
	}()
	g.CountryCode = str(loc.CountryCode)
	g.CountryCode3 = str(loc.CountryCode3)
	g.CountryName = str(loc.CountryName)
	g.ContinentCode = str(loc.ContinentCode)
	g.CityName = str(loc.CityName)
	g.SubdivisionCode = str(loc.SubdivisionCode)
	g.SubdivisionName = str(loc.SubdivisionName)
	g.TimeZone = str(loc.TimeZone)
	g.Latitude, g.Longitude = loc.Latitude, loc.Longitude
	return geoFromDB
}

// str is nil for the empty string: a field the database does not give is
// left out of the event, as Auth0 leaves out what it does not know.
func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Sentence says what the GeoIP database did, naming it by typ and file
// as the renderer quotes them.
func (g *GeoIPStats) Sentence(typ, file string) string {
	return fmt.Sprintf("%d logins without location_info located with %s built %s (%s); %d not covered by it (request.geoip left empty); %d kept their log's location_info",
		g.Enriched, typ, g.Built, file, g.NotFound, g.HadLocation)
}
