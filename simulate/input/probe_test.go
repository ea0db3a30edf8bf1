package input

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// stdLenient is unmarshalLenient with encoding/json alone: the behaviour
// the faster decoder must reproduce.
func stdLenient(data []byte, v any) error { return lenient(json.Unmarshal(data, v)) }

// agree decodes data into each record shape with both decoders and
// reports the first difference in error-ness or in the values.
func agree(t *testing.T, data []byte) {
	t.Helper()
	for _, mk := range []func() any{
		func() any { return new(probe) },
		func() any { return new(logRecord) },
		func() any {
			return new([]struct {
				Type string `json:"type"`
			})
		},
	} {
		fast, std := mk(), mk()
		ef, es := unmarshalLenient(data, fast), stdLenient(data, std)
		if (ef == nil) != (es == nil) {
			t.Fatalf("%q into %T: go-json error %v, encoding/json error %v", data, fast, ef, es)
		}
		if es == nil && !reflect.DeepEqual(fast, std) {
			t.Fatalf("%q into %T: go-json read %+v, encoding/json %+v", data, fast, fast, std)
		}
	}
}

// TestProbeAgreement holds the record decoder to encoding/json on every
// seed of FuzzReader, the example corpora and records written to differ.
func TestProbeAgreement(t *testing.T) {
	inputs := [][]byte{
		[]byte(`{"client":{"name":"x"},"client":{"client_id":"y"}}`),
		[]byte(`{"Client":{"NAME":"x"},"REQUEST":{"geoip":{"countrycode":"FR"}}}`),
		[]byte("{\"client\":{\"name\":\"a\xffb\\ud800c\"}}"),
		[]byte(`{"request":{"geoip":{"countryCode":7}},"client":"nope","user":{"enrolledFactors":"x"}}`),
		[]byte(`{"authentication":{"methods":[{"timestamp":5},{"timestamp":"2024-01-01T00:00:00Z"},null]}}`),
		[]byte(`{"type":"s","log_id":"1","details":{"stats":{"loginsCount":1e400}}}`),
		[]byte(`{"a":1}x`), []byte(`{"a":"\q"}`), []byte(`{"a":01}`), []byte(`{"a":[1,]}`), []byte("{\"a\":\"\x01\"}"),
	}
	seeds, _ := filepath.Glob("testdata/fuzz/FuzzReader/*")
	for _, f := range seeds {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, b)
	}
	for _, name := range []string{"../../examples/events.ndjson", "../../examples/logs.ndjson"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			inputs = append(inputs, append([]byte(nil), sc.Bytes()...))
		}
		f.Close()
	}
	for _, in := range inputs {
		agree(t, in)
	}
	t.Logf("%d records decoded alike", len(inputs))
}

// FuzzProbe looks for a record the two decoders read differently.
func FuzzProbe(f *testing.F) {
	f.Add([]byte(`{"request":{"geoip":{"countryCode":"US"}},"client":{"name":"App"},"user":{"enrolledFactors":[{"type":"otp"}]}}`))
	f.Add([]byte(`{"log_id":"1","data":{"type":"s","date":"2024-01-01T00:00:00Z","client_name":"x"}}`))
	f.Fuzz(func(t *testing.T, data []byte) { agree(t, data) })
}
