package geoip

import (
	"github.com/oschwald/maxminddb-golang/v2/mmdbdata"
)

// UnmarshalMaxMindDBCursor decodes a record without reflection: the
// fields Lookup reads, every other member skipped. It is what makes a
// lookup of a record not decoded before cheap (the reflection decoder
// costs several times more); TestCursorMatchesReflection holds the two
// to the same results. It descends a fixed depth whatever the database
// holds, so a hostile file cannot make it recurse.
func (rec *record) UnmarshalMaxMindDBCursor(c mmdbdata.Cursor) (mmdbdata.Cursor, error) {
	return eachKey(c, func(key []byte, v mmdbdata.Cursor) (mmdbdata.Cursor, error) {
		switch string(key) {
		case "city":
			return eachKey(v, func(key []byte, v mmdbdata.Cursor) (mmdbdata.Cursor, error) {
				if string(key) == "names" {
					return decodeNames(v, &rec.City.Names)
				}
				return v.Skip()
			})
		case "continent":
			return eachKey(v, func(key []byte, v mmdbdata.Cursor) (mmdbdata.Cursor, error) {
				if string(key) == "code" {
					return readString(v, &rec.Continent.Code)
				}
				return v.Skip()
			})
		case "country":
			return eachKey(v, func(key []byte, v mmdbdata.Cursor) (mmdbdata.Cursor, error) {
				switch string(key) {
				case "iso_code":
					return readString(v, &rec.Country.ISOCode)
				case "iso_code3":
					return readString(v, &rec.Country.ISOCode3)
				case "names":
					return decodeNames(v, &rec.Country.Names)
				}
				return v.Skip()
			})
		case "location":
			return rec.decodeLocation(v)
		case "subdivisions":
			return rec.decodeSubdivisions(v)
		case "country_code":
			return readString(v, &rec.CountryCode)
		}
		return v.Skip()
	})
}

func (rec *record) decodeLocation(c mmdbdata.Cursor) (mmdbdata.Cursor, error) {
	return eachKey(c, func(key []byte, v mmdbdata.Cursor) (mmdbdata.Cursor, error) {
		switch string(key) {
		case "latitude":
			return readFloat(v, &rec.Location.Latitude)
		case "longitude":
			return readFloat(v, &rec.Location.Longitude)
		case "time_zone":
			return readString(v, &rec.Location.TimeZone)
		}
		return v.Skip()
	})
}

// decodeSubdivisions reads the subdivisions list, decoding the first.
func (rec *record) decodeSubdivisions(c mmdbdata.Cursor) (mmdbdata.Cursor, error) {
	s, err := c.Slice()
	if err != nil {
		return mmdbdata.Cursor{}, err
	}
	var next mmdbdata.Cursor
	for {
		i, v, ok := s.Next(next)
		if !ok {
			return s.End()
		}
		if i > 0 {
			next, err = v.Skip()
		} else {
			rec.Subdivisions = append(rec.Subdivisions[:0], subdivision{})
			sub := &rec.Subdivisions[0]
			next, err = eachKey(v, func(key []byte, v mmdbdata.Cursor) (mmdbdata.Cursor, error) {
				switch string(key) {
				case "iso_code":
					return readString(v, &sub.ISOCode)
				case "names":
					return decodeNames(v, &sub.Names)
				}
				return v.Skip()
			})
		}
		if err != nil {
			return mmdbdata.Cursor{}, err
		}
	}
}

// eachKey calls f with each member of the map at c; f returns the cursor
// after the member's value.
func eachKey(c mmdbdata.Cursor, f func(key []byte, v mmdbdata.Cursor) (mmdbdata.Cursor, error)) (mmdbdata.Cursor, error) {
	m, err := c.Map()
	if err != nil {
		return mmdbdata.Cursor{}, err
	}
	var next mmdbdata.Cursor
	for {
		key, v, ok := m.Next(next)
		if !ok {
			return m.End()
		}
		if next, err = f(key, v); err != nil {
			return mmdbdata.Cursor{}, err
		}
	}
}

func decodeNames(c mmdbdata.Cursor, n *names) (mmdbdata.Cursor, error) {
	return eachKey(c, func(key []byte, v mmdbdata.Cursor) (mmdbdata.Cursor, error) {
		if string(key) == "en" {
			return readString(v, &n.En)
		}
		return v.Skip()
	})
}

func readString(c mmdbdata.Cursor, s *string) (mmdbdata.Cursor, error) {
	v, next, err := c.ReadString()
	if err != nil {
		return mmdbdata.Cursor{}, err
	}
	*s = v
	return next, nil
}

func readFloat(c mmdbdata.Cursor, f **float64) (mmdbdata.Cursor, error) {
	v, next, err := c.ReadFloat()
	if err != nil {
		return mmdbdata.Cursor{}, err
	}
	*f = &v
	return next, nil
}
