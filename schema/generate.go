package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/mfapolicy/mfapolicy/policy"
)

// A File names one of the file formats.
type File string

// The file formats with a schema.
const (
	PolicyFile File = "policy"
	TestFile   File = "test"
)

// Files lists the file formats, in the order `mfapolicy schema` names them.
var Files = []File{PolicyFile, TestFile}

// BaseURL is where the committed schemas are published; each schema's
// $id is BaseURL + its file name.
const BaseURL = "https://raw.githubusercontent.com/mfapolicy/mfapolicy/main/schema/"

// FileName is the name of a format's committed schema.
func (f File) FileName() string { return string(f) + ".schema.json" }

// Generate returns the JSON Schema (draft 2020-12) of a file format,
// indented, with a final newline: byte-identical from run to run.
func Generate(f File) ([]byte, error) {
	r := &jsonschema.Reflector{
		ExpandedStruct:             true,
		RequiredFromJSONSchemaTags: true,
		Namer:                      func(t reflect.Type) string { return t.Name() },
	}
	var s *jsonschema.Schema
	switch f {
	case PolicyFile:
		s = r.Reflect(&Policy{})
	case TestFile:
		s = r.Reflect(&Test{})
		for _, t := range policy.StructTypes() {
			s.Definitions[defName(t)] = eventType(t)
		}
	default:
		return nil, fmt.Errorf("no schema for %q: use one of policy, test", f)
	}
	s.ID = jsonschema.ID(BaseURL + f.FileName())
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// defName is the definition name of an event struct type:
// "auth0.PostLoginEvent" is "PostLoginEvent".
func defName(structType string) string {
	return strings.TrimPrefix(structType, "auth0.")
}

// eventType is the schema of one struct type of the typed event model.
// Every field may be null (a test's null removes the field), and fields
// the model does not type are allowed: Auth0's event has more.
func eventType(structType string) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "object", Properties: jsonschema.NewProperties()}
	if structType == policy.EventType {
		s.Description = "A post-login event, after https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object; the fields typed here are those a policy can read."
	}
	for _, name := range policy.FieldNames(structType) {
		f, _ := policy.LookupField(structType, name)
		p := fieldType(f)
		if name == "confidence" {
			p.AnyOf[0].Enum = anys(policy.Confidences)
		}
		s.Properties.Set(name, p)
	}
	return s
}

func fieldType(f policy.Field) *jsonschema.Schema {
	var t *jsonschema.Schema
	switch f.Kind {
	case policy.String:
		t = &jsonschema.Schema{Type: "string"}
	case policy.Bool:
		t = &jsonschema.Schema{Type: "boolean"}
	case policy.Int:
		t = &jsonschema.Schema{Type: "integer"}
	case policy.Double:
		t = &jsonschema.Schema{Type: "number"}
	case policy.StringList:
		t = &jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{Type: "string"}}
	case policy.StringMap:
		t = &jsonschema.Schema{Type: "object", AdditionalProperties: &jsonschema.Schema{Type: "string"}}
	case policy.DynMap:
		t = &jsonschema.Schema{Type: "object"}
	case policy.Message:
		t = &jsonschema.Schema{Ref: "#/$defs/" + defName(f.Elem)}
	case policy.MessageList:
		t = &jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{Ref: "#/$defs/" + defName(f.Elem)}}
	default:
		t = &jsonschema.Schema{}
	}
	return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{t, {Type: "null"}}}
}
