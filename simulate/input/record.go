package input

// ProbeFields are the parts of a record the simulator itself reads: what
// tells a tenant log record from a post-login event, and the facts of an
// event that summaries group by (Event). The projector decodes them in the
// same pass as the fields the policy reads.
var ProbeFields = []string{
	"log_id", "_id", "type", "date", "detail",
	"request.ip", "request.geoip.countryCode",
	"client.client_id", "client.name",
	"authentication.riskAssessment.confidence",
	"transaction.id", "session.id",
	"user.user_id",
}

// ProbeLists are the two lists whose elements the probe reads
// (authentication.methods[].timestamp, user.enrolledFactors[].type).
var ProbeLists = []string{"authentication.methods", "user.enrolledFactors"}

// parseLocated is parseRecord in one pass: loc locates the simulator's
// fields and the policy's in the record (checking all of it), the event's
// facts are decoded from there, and the worker then hands the same loc to
// the classifier. Tenant log records, and records loc rejects (for
// parseRecord's message), take parseRecord's path.
func parseLocated(file string, line int, data []byte, loc *Located, en *Enrichment) Item {
	if len(data) == 0 || data[0] != '{' || !loc.Locate(data) {
		return parseRecordWith(file, line, data, en)
	}
	if d := loc.rawAt([]string{"detail"}); loc.stringAt("log_id") != "" || (len(d) > 0 && d[0] == '{') {
		return parseRecordWith(file, line, data, en)
	}
	if t := loc.rawAt([]string{"type"}); len(t) > 0 && t[0] == '"' {
		return parseRecordWith(file, line, data, en)
	}
	ev := Event{
		File:        file,
		Line:        line,
		JSON:        data,
		Country:     loc.stringAt("request", "geoip", "countryCode"),
		Application: loc.stringAt("client", "name"),
		Confidence:  loc.stringAt("authentication", "riskAssessment", "confidence"),
		UserID:      loc.uniqueAt("user", "user_id"),
		IP:          loc.uniqueAt("request", "ip"),
		ID:          loc.uniqueAt("transaction", "id"),
		Located:     true,
	}
	if ev.Application == "" {
		ev.Application = loc.stringAt("client", "client_id")
	}
	if ev.ID == "" {
		ev.ID = loc.uniqueAt("session", "id")
	}
	loc.eachElementString(func(s string) {
		if t, ok := parseTime(s); ok && t.After(ev.Time) {
			ev.Time = t
		}
	}, false, "timestamp", "authentication", "methods")
	// enrolledFactors: absent or null means unknown; anything else that is
	// not a list of {type} objects counts as an empty list.
	if loc.has("user", "enrolledFactors") && !loc.Absent([]string{"user", "enrolledFactors"}) {
		ev.Enrolled, ev.HasEnrolled = []string{}, true
		loc.eachElementString(func(t string) {
			if t != "" {
				ev.Enrolled = append(ev.Enrolled, NormalizeFactor(t))
			}
		}, true, "type", "user", "enrolledFactors")
	}
	return Item{Kind: ItemEvent, Event: ev}
}
