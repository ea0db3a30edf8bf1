package simulate

import (
	"encoding/json"
	"io"
)

// RenderJSON writes the summary as indented JSON (the stable, documented
// shape of Summary).
func RenderJSON(w io.Writer, s *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// DecisionWriter writes decisions as NDJSON, one record per line.
type DecisionWriter struct{ enc *json.Encoder }

// NewDecisionWriter returns a writer of NDJSON decision records to w.
func NewDecisionWriter(w io.Writer) *DecisionWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &DecisionWriter{enc: enc}
}

// Write writes one decision on its own line.
func (d *DecisionWriter) Write(dec Decision) error { return d.enc.Encode(dec) }
