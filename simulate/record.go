package simulate

import "time"

// probeFields are the parts of a record the simulator itself reads: what
// tells a tenant log record from a post-login event, and the facts of an
// event that summaries group by (Event). The projector decodes them in the
// same pass as the fields the policy reads.
var probeFields = []string{
	"log_id", "_id", "type", "date",
	"request.ip", "request.geoip.countryCode",
	"client.client_id", "client.name",
	"authentication.riskAssessment.confidence",
	"transaction.id", "session.id",
	"user.user_id",
	// and of two lists, the one member of each element read:
	// authentication.methods[].timestamp, user.enrolledFactors[].type
}

// probePlan is the plan of probeFields.
var probePlan = func() *readPlan {
	p := planFor(nil, probeFields, nil)
	elems := func(member string) *readPlan {
		return &readPlan{keys: map[string]*readPlan{elemKey: {name: elemKey, keys: map[string]*readPlan{member: {name: member, whole: true}}}}}
	}
	methods, enrolled := elems("timestamp"), elems("type")
	methods.name, enrolled.name = "methods", "enrolledFactors"
	p.keys["authentication"].keys["methods"] = methods
	p.keys["user"].keys["enrolledFactors"] = enrolled
	return p.index()
}()

// parseProjected is parseRecord in one pass: the projector decodes the
// record (checking all of it) and the event's facts are read from the
// projection, which the worker then hands to the classifier. Tenant log
// records, and records the projector rejects (for parseRecord's message),
// take parseRecord's path.
func parseProjected(file string, line int, data []byte, p *projector) Item {
	if len(data) == 0 || data[0] != '{' {
		return parseRecord(file, line, data)
	}
	tree, valid, faithful := p.project(data)
	root, _ := tree.(map[string]any)
	if !valid || root == nil {
		return parseRecord(file, line, data)
	}
	if id, _ := root["log_id"].(string); id != "" {
		return parseRecord(file, line, data)
	}
	if _, ok := root["type"].(string); ok {
		return parseRecord(file, line, data)
	}
	ev := Event{
		File:        file,
		Line:        line,
		JSON:        data,
		Country:     stringAt(root, "request", "geoip", "countryCode"),
		Application: stringAt(root, "client", "name"),
		Confidence:  stringAt(root, "authentication", "riskAssessment", "confidence"),
		UserID:      stringAt(root, "user", "user_id"),
		IP:          stringAt(root, "request", "ip"),
		ID:          stringAt(root, "transaction", "id"),
		tree:        tree,
		projected:   true,
		faithful:    faithful,
	}
	if ev.Application == "" {
		ev.Application = stringAt(root, "client", "client_id")
	}
	if ev.ID == "" {
		ev.ID = stringAt(root, "session", "id")
	}
	ev.Time = latestMethod(valueAt(root, "authentication", "methods"))
	user, _ := root["user"].(map[string]any)
	ev.Enrolled, ev.HasEnrolled = enrolledIn(user)
	return Item{Kind: ItemEvent, Event: ev}
}

// valueAt returns the value at a path of objects, nil when the path is
// absent or crosses something else.
func valueAt(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// stringAt is the string at a path, "" when there is none.
func stringAt(v any, path ...string) string {
	s, _ := valueAt(v, path...).(string)
	return s
}

// latestMethod is the latest valid timestamp of
// authentication.methods[].timestamp, zero when there is none.
func latestMethod(methods any) time.Time {
	var latest time.Time
	list, _ := methods.([]any)
	for _, m := range list {
		s, _ := valueAt(m, "timestamp").(string)
		if t, ok := parseTime(s); ok && t.After(latest) {
			latest = t
		}
	}
	return latest
}

// enrolledIn reads the types of user.enrolledFactors, as enrolledTypes
// does: absent or null means unknown; anything else that is not a list of
// {type} objects counts as an empty list.
func enrolledIn(user map[string]any) ([]string, bool) {
	v, ok := user["enrolledFactors"]
	if !ok || v == nil {
		return nil, false
	}
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, f := range list {
		if t, _ := valueAt(f, "type").(string); t != "" {
			out = append(out, normalizeFactor(t))
		}
	}
	return out, true
}
