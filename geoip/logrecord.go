package geoip

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// LogInfo is a Location as a tenant log record's location_info
// (snake_case; the Management API log object:
// https://auth0.com/docs/api/management/v2/logs/get-logs-by-id).
type LogInfo struct {
	CountryCode     string   `json:"country_code,omitempty"`
	CountryCode3    string   `json:"country_code3,omitempty"`
	CountryName     string   `json:"country_name,omitempty"`
	CityName        string   `json:"city_name,omitempty"`
	Latitude        *float64 `json:"latitude,omitempty"`
	Longitude       *float64 `json:"longitude,omitempty"`
	TimeZone        string   `json:"time_zone,omitempty"`
	ContinentCode   string   `json:"continent_code,omitempty"`
	SubdivisionCode string   `json:"subdivision_code,omitempty"`
	SubdivisionName string   `json:"subdivision_name,omitempty"`
}

// LogInfo returns the location as location_info.
func (l Location) LogInfo() LogInfo {
	return LogInfo{
		CountryCode: l.CountryCode, CountryCode3: l.CountryCode3, CountryName: l.CountryName,
		CityName: l.CityName, Latitude: l.Latitude, Longitude: l.Longitude, TimeZone: l.TimeZone,
		ContinentCode: l.ContinentCode, SubdivisionCode: l.SubdivisionCode, SubdivisionName: l.SubdivisionName,
	}
}

// Fill says what FillLogRecord did with a record.
type Fill int

const (
	// NotCovered: the record has no location and no ip, or an ip the
	// database does not cover; it is returned unchanged.
	NotCovered Fill = iota
	// HadLocation: the record has a location_info (other than null or
	// {}); it is returned unchanged.
	HadLocation
	// Located: location_info was added from the database.
	Located
)

// FillLogRecord adds location_info to one tenant log record (a bare log
// object, as GET /api/v2/logs returns it) that has none, located from its
// ip, and says which of the three cases of Fill the record was. The
// record's bytes are kept as they are; location_info is added as its last
// member (a location_info of null or {} is replaced).
func (db *DB) FillLogRecord(record []byte) (out []byte, fill Fill, err error) {
	var p struct {
		IP           string          `json:"ip"`
		LocationInfo json.RawMessage `json:"location_info"`
	}
	trimmed := bytes.TrimSpace(record)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return record, NotCovered, fmt.Errorf("not a log record: expected a JSON object")
	}
	if err := json.Unmarshal(trimmed, &p); err != nil {
		return record, NotCovered, fmt.Errorf("not a log record: %w", err)
	}
	if len(p.LocationInfo) > 0 && !noLocation(p.LocationInfo) {
		return record, HadLocation, nil
	}
	loc, ok := db.Lookup(p.IP)
	if !ok {
		return record, NotCovered, nil
	}
	info, err := json.Marshal(loc.LogInfo())
	if err != nil {
		return record, NotCovered, err
	}
	if len(p.LocationInfo) > 0 {
		// location_info: null or {}; rewrite the object rather than add
		// a second member of the same name.
		var m map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &m); err != nil {
			return record, NotCovered, err
		}
		m["location_info"] = info
		if out, err = json.Marshal(m); err != nil {
			return record, NotCovered, err
		}
		return out, Located, nil
	}
	body := bytes.TrimSpace(trimmed[1 : len(trimmed)-1])
	out = make([]byte, 0, len(trimmed)+len(info)+20)
	out = append(out, '{')
	out = append(out, body...)
	if len(body) > 0 {
		out = append(out, ',')
	}
	out = append(out, `"location_info":`...)
	out = append(out, info...)
	out = append(out, '}')
	return out, Located, nil
}

// noLocation says whether a location_info value holds no location: null or
// an empty object.
func noLocation(raw json.RawMessage) bool {
	if string(raw) == "null" {
		return true
	}
	var m map[string]json.RawMessage
	return json.Unmarshal(raw, &m) == nil && len(m) == 0
}
