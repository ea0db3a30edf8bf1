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

// FillLogRecord adds location_info to one tenant log record (a bare log
// object, as GET /api/v2/logs returns it) that has none, located from its
// ip. A record that has a location_info (other than null or {}), has no
// ip, or whose ip the database does not cover is returned unchanged with
// filled false. The record's bytes are kept as they are; location_info is
// added as its last member (a location_info of null or {} is replaced).
func (db *DB) FillLogRecord(record []byte) (out []byte, filled bool, err error) {
	var p struct {
		IP           string          `json:"ip"`
		LocationInfo json.RawMessage `json:"location_info"`
	}
	trimmed := bytes.TrimSpace(record)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return record, false, fmt.Errorf("not a log record: expected a JSON object")
	}
	if err := json.Unmarshal(trimmed, &p); err != nil {
		return record, false, fmt.Errorf("not a log record: %w", err)
	}
	if len(p.LocationInfo) > 0 && !noLocation(p.LocationInfo) {
		return record, false, nil
	}
	loc, ok := db.Lookup(p.IP)
	if !ok {
		return record, false, nil
	}
	info, err := json.Marshal(loc.LogInfo())
	if err != nil {
		return record, false, err
	}
	if len(p.LocationInfo) > 0 {
		// location_info: null or {}; rewrite the object rather than add
		// a second member of the same name.
		var m map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &m); err != nil {
			return record, false, err
		}
		m["location_info"] = info
		out, err = json.Marshal(m)
		return out, err == nil, err
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
	return out, true, nil
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

// HasLocation reports whether a log record carries a location_info that
// FillLogRecord keeps: present, and neither null nor {}.
func HasLocation(record []byte) bool {
	var p struct {
		LocationInfo json.RawMessage `json:"location_info"`
	}
	if json.Unmarshal(bytes.TrimSpace(record), &p) != nil {
		return false
	}
	return len(p.LocationInfo) > 0 && !noLocation(p.LocationInfo)
}
