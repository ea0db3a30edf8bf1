package policy

import (
	"sort"

	"cel.dev/cel-go/cel"
)

// The typed model of Auth0's post-login event object, after
// https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object
// (field names and types) cross-checked with the @auth0/actions post-login v3
// type definitions. Only fields a login policy can sensibly read are typed;
// free-form objects are map(string, dyn).

// Kind is the shape of a typed event field.
type Kind int

// Field kinds. Message and MessageList name a struct type in Elem.
const (
	String Kind = iota + 1
	Bool
	Int
	Double
	StringList
	StringMap // map(string, string)
	DynMap    // map(string, dyn), JSON semantics
	Message
	MessageList
)

// Field is one typed field of an event struct type.
type Field struct {
	Name string
	Kind Kind
	// Elem is the struct type name for Message and MessageList.
	Elem string
}

// EventType is the CEL type name of the whole post-login event.
const EventType = "auth0.PostLoginEvent"

func str(n string) Field          { return Field{Name: n, Kind: String} }
func msg(n, t string) Field       { return Field{Name: n, Kind: Message, Elem: "auth0." + t} }
func msgList(n, t string) Field   { return Field{Name: n, Kind: MessageList, Elem: "auth0." + t} }
func kind(n string, k Kind) Field { return Field{Name: n, Kind: k} }
func strs(names ...string) []Field {
	out := make([]Field, len(names))
	for i, n := range names {
		out[i] = str(n)
	}
	return out
}

// schema maps each struct type name to its fields.
var schema = map[string][]Field{
	EventType: {
		msg("authentication", "Authentication"),
		msg("authorization", "Authorization"),
		msg("client", "Client"),
		msg("connection", "Connection"),
		msg("custom_domain", "CustomDomain"),
		msg("organization", "Organization"),
		msg("request", "Request"),
		msg("resource_server", "ResourceServer"),
		msg("security_context", "SecurityContext"),
		msg("stats", "Stats"),
		msg("tenant", "Tenant"),
		msg("transaction", "Transaction"),
		msg("user", "User"),
	},
	"auth0.Request": append(strs("ip", "method", "hostname", "user_agent", "language", "asn"),
		msg("geoip", "GeoIP"), kind("query", DynMap), kind("body", DynMap)),
	"auth0.GeoIP": append(strs("cityName", "continentCode", "countryCode", "countryCode3",
		"countryName", "subdivisionCode", "subdivisionName", "timeZone"),
		kind("latitude", Double), kind("longitude", Double)),
	"auth0.Client":     append(strs("client_id", "name"), kind("metadata", StringMap)),
	"auth0.Connection": append(strs("id", "name", "strategy"), kind("metadata", StringMap)),
	"auth0.Authentication": {
		msgList("methods", "AuthenticationMethod"),
		msg("riskAssessment", "RiskAssessment"),
	},
	"auth0.AuthenticationMethod": strs("name", "timestamp", "type"),
	"auth0.RiskAssessment": append(strs("confidence", "version"),
		msg("assessments", "RiskAssessments"), kind("supplemental", DynMap)),
	// Assessor names from the event object page; unknown assessors in the
	// data are kept but not typed.
	"auth0.RiskAssessments": {
		msg("UntrustedIP", "Assessment"),
		msg("NewDevice", "Assessment"),
		msg("ImpossibleTravel", "Assessment"),
		msg("AgentDetection", "Assessment"),
	},
	"auth0.Assessment": append(strs("code", "confidence"), kind("details", DynMap)),
	"auth0.User": append(strs("user_id", "email", "username", "name", "nickname", "given_name",
		"family_name", "picture", "phone_number", "created_at", "updated_at", "last_password_reset"),
		kind("email_verified", Bool), kind("phone_verified", Bool),
		kind("app_metadata", DynMap), kind("user_metadata", DynMap),
		msgList("enrolledFactors", "EnrolledFactor"), kind("multifactor", StringList),
		msgList("identities", "Identity")),
	"auth0.EnrolledFactor": {str("type"), kind("options", DynMap)},
	"auth0.Identity":       append(strs("connection", "provider", "user_id"), kind("isSocial", Bool)),
	"auth0.Authorization":  {kind("roles", StringList)},
	"auth0.Organization":   append(strs("id", "name", "display_name"), kind("metadata", StringMap)),
	"auth0.Stats":          {kind("logins_count", Int)},
	"auth0.Transaction": append(strs("id", "protocol", "redirect_uri", "locale", "login_hint", "response_mode"),
		kind("acr_values", StringList), kind("requested_scopes", StringList), kind("prompt", StringList),
		kind("ui_locales", StringList), kind("metadata", DynMap)),
	"auth0.Tenant":          {str("id")},
	"auth0.ResourceServer":  {str("identifier")},
	"auth0.CustomDomain":    {str("domain"), kind("domain_metadata", StringMap)},
	"auth0.SecurityContext": strs("ja3", "ja4"),
}

// fieldIndex is schema indexed by type and field name.
var fieldIndex = func() map[string]map[string]Field {
	idx := make(map[string]map[string]Field, len(schema))
	for t, fields := range schema {
		idx[t] = make(map[string]Field, len(fields))
		for _, f := range fields {
			idx[t][f.Name] = f
		}
	}
	return idx
}()

// LookupField returns the typed field of a struct type, for the compiler to
// pick the matching JavaScript accessor.
func LookupField(structType, field string) (Field, bool) {
	f, ok := fieldIndex[structType][field]
	return f, ok
}

// StructTypes lists the struct type names of the event model, sorted.
func StructTypes() []string {
	out := make([]string, 0, len(schema))
	for t := range schema {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// FieldNames lists the field names of a struct type, sorted.
func FieldNames(structType string) []string {
	var out []string
	for _, f := range schema[structType] {
		out = append(out, f.Name)
	}
	sort.Strings(out)
	return out
}

// allFieldNames is every field name of every type, for "did you mean".
func allFieldNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, fields := range schema {
		for _, f := range fields {
			if !seen[f.Name] {
				seen[f.Name] = true
				out = append(out, f.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// CELType is the CEL type of a field.
func (f Field) CELType() *cel.Type {
	switch f.Kind {
	case String:
		return cel.StringType
	case Bool:
		return cel.BoolType
	case Int:
		return cel.IntType
	case Double:
		return cel.DoubleType
	case StringList:
		return cel.ListType(cel.StringType)
	case StringMap:
		return cel.MapType(cel.StringType, cel.StringType)
	case DynMap:
		return cel.MapType(cel.StringType, cel.DynType)
	case Message:
		return cel.ObjectType(f.Elem)
	case MessageList:
		return cel.ListType(cel.ObjectType(f.Elem))
	}
	panic("policy: unknown field kind")
}
