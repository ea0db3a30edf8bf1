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
var ProbeLists = []string{probeLists[listMethods].path, probeLists[listEnrolled].path}

// probeLists are ProbeLists with the member of their elements the probe
// reads: the located pass keeps those members' strings as it checks the
// lists (Located.list), so that they are read once.
var probeLists = [...]struct{ path, member string }{
	listMethods:  {"authentication.methods", "timestamp"},
	listEnrolled: {"user.enrolledFactors", "type"},
}

const (
	listMethods = iota
	listEnrolled
)

// probeNodes are the nodes of the fields parseLocated reads (-1 for one
// the tree does not have), resolved once for the tree.
type probeNodes struct {
	logID, typ, detail                            int
	ip, country, clientID, clientName, confidence int
	transaction, session, userID                  int
	lists                                         [len(probeLists)]int
}

func (t *FieldTree) probeNodes() probeNodes {
	return probeNodes{
		logID: t.node("log_id"), typ: t.node("type"), detail: t.node("detail"),
		ip: t.node("request.ip"), country: t.node("request.geoip.countryCode"),
		clientID: t.node("client.client_id"), clientName: t.node("client.name"),
		confidence:  t.node("authentication.riskAssessment.confidence"),
		transaction: t.node("transaction.id"), session: t.node("session.id"), userID: t.node("user.user_id"),
		lists: [...]int{listMethods: t.node(probeLists[listMethods].path), listEnrolled: t.node(probeLists[listEnrolled].path)},
	}
}

// parseLocated is parseRecord in one pass: loc locates the simulator's
// fields and the policy's in the record (checking all of it), the event's
// facts are decoded from there, and the worker then hands the same loc to
// the classifier. Tenant log records, found at the first top-level member
// that makes a record one, and records loc rejects (for parseRecord's
// message), take parseRecord's path.
func parseLocated(file string, line int, data []byte, loc *Located, en *Enrichment) Item {
	if len(data) == 0 || data[0] != '{' || !loc.locateEvent(data) {
		return parseRecordWith(file, line, data, en)
	}
	// locateEvent has stopped at any member that makes the record a log
	// record (Located.logMarker): a record located whole is an event.
	p := &loc.probe
	ev := Event{
		File:        file,
		Line:        line,
		JSON:        data,
		Country:     loc.stringAt(p.country),
		Application: loc.stringAt(p.clientName),
		Confidence:  loc.stringAt(p.confidence),
		UserID:      loc.uniqueAt(p.userID),
		IP:          loc.uniqueAt(p.ip),
		ID:          loc.uniqueAt(p.transaction),
		Located:     true,
	}
	if ev.Application == "" {
		ev.Application = loc.stringAt(p.clientID)
	}
	if ev.ID == "" {
		ev.ID = loc.uniqueAt(p.session)
	}
	loc.eachListString(func(s string) {
		if t, ok := parseTime(s); ok && t.After(ev.Time) {
			ev.Time = t
		}
	}, false, listMethods)
	// enrolledFactors: absent or null means unknown; anything else that is
	// not a list of {type} objects counts as an empty list.
	if loc.heldAt(p.lists[listEnrolled]) {
		ev.Enrolled, ev.HasEnrolled = []string{}, true
		loc.eachListString(func(t string) {
			if t != "" {
				ev.Enrolled = append(ev.Enrolled, NormalizeFactor(t))
			}
		}, true, listEnrolled)
	}
	return Item{Kind: ItemEvent, Event: ev}
}
