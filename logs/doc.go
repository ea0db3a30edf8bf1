// Package logs fetches an Auth0 tenant's logs through the Management API
// into an NDJSON file that simulate, diff and explain replay, resuming
// where the last fetch stopped.
//
// It owns the checkpoint pagination of GET /api/v2/logs (from and take,
// oldest first, each request following the Link header of the one before,
// as https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api
// describes), the start of a first pull at a time (a date search for the
// last log before it), the selection of log types, and the output file
// with its checkpoint, both replaced atomically. The client, its
// credentials, its retries of 429 and 502-504, and the wording of API
// errors are package deploy's.
//
// A pull, as `mfapolicy logs pull` runs it:
//
//	m, _ := deploy.NewClient(ctx, creds, deploy.ClientOptions{})
//	out, err := logs.OpenOutput("logins.ndjson.gz", logs.CheckpointPath("logins.ndjson.gz"))
//	if err != nil {
//		return err // a file and checkpoint that do not fit together
//	}
//	defer out.Close()
//	opts := logs.Options{From: out.Resume().LogID, Since: time.Now().Add(-7 * 24 * time.Hour)}
//	stats, err := logs.Pull(ctx, m, opts, out)
//	if cerr := out.Commit(); cerr != nil { // keeps what was fetched, even after an error
//		return cerr
//	}
//
// Options.Transform rewrites each record before it is written, for a
// caller that adds what logs lack (location data, for one).
package logs
