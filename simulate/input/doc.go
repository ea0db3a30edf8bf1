// Package input reads recorded logins and finds in each record's bytes
// what the simulator needs, before any JavaScript runs:
//
//   - Reader (reader.go) streams records from NDJSON, a JSON array or a
//     sequence of JSON objects, each optionally gzip-compressed, within
//     Limits (limits.go); Input names a source and Event (event.go) is one
//     login ready to replay, with the facts the summary groups by.
//   - Tenant log records (logs.go, logtypes.go, record.go) of the types
//     ReplayedLogTypes lists are mapped to post-login event objects, the
//     others counted and skipped; an Enrichment (enrich.go) adds what logs lack: request.geoip from a
//     GeoIP database and the user's roles from the tenant context.
//   - Located (spans.go) is the one pass over a record that finds the
//     fields a FieldTree names (the policy's, those whose absence is
//     reported, ProbeFields), fills the assumed enrolled factors in and
//     derives event.user.multifactor on the bytes (multifactor.go, with
//     FillMultifactor for a decoded event); the Projector (project.go)
//     decodes a located value as JSON.parse would, into plain Go values.
//     The paths looked up in a Located record are fixed for a run: each
//     is resolved once in the FieldTree (Resolve), and the lookups
//     (AppendKey, PlainString, Absent) take the ref it gives.
//
// The simulator (package simulate) runs its workers over these: its
// runner reads with Reader.Later, parses with Resolve on each worker and
// hands the Located record to the classifier and the event decoder. What
// the runtime makes of a login (the sandbox's assumptions, decisions, the
// summary) is simulate's.
//
// input never imports simulate nor simulate/engine: it knows records,
// JSON bytes (through simulate/internal/jsonscan) and the GeoIP database,
// not goja, bundles, policies or decisions.
package input
