package engine

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// goja reads a bundle's inline source map with 1-based generated columns
// and reports the original column as stored, 0-based, while its own
// positions are 1-based. fixSourceMap shifts both sides of every mapping
// by one so that errors in bundled code name the same line:col as errors
// in unbundled code (and as editors do).
func fixSourceMap(raw []byte) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	var mappings string
	if err := json.Unmarshal(m["mappings"], &mappings); err != nil {
		return nil, err
	}
	lines := strings.Split(mappings, ";")
	firstSource := true
	for i, line := range lines {
		if line == "" {
			continue
		}
		segs := strings.Split(line, ",")
		for j, seg := range segs {
			f, err := decodeVLQ(seg)
			if err != nil {
				return nil, err
			}
			changed := false
			if j == 0 { // the generated column is absolute at the start of each line
				f[0]++
				changed = true
			}
			if len(f) >= 4 && firstSource { // original columns are deltas after the first
				f[3]++
				firstSource, changed = false, true
			}
			if changed {
				segs[j] = encodeVLQ(f)
			}
			if j > 0 && !firstSource {
				break
			}
		}
		lines[i] = strings.Join(segs, ",")
	}
	m["mappings"], _ = json.Marshal(strings.Join(lines, ";"))
	return json.Marshal(m)
}

// inlineSourceMap is the comment that carries a source map in the code.
func inlineSourceMap(m []byte) string {
	return "//# sourceMappingURL=data:application/json;base64," + base64.StdEncoding.EncodeToString(m) + "\n"
}

const vlqChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

func decodeVLQ(s string) ([]int, error) {
	var out []int
	shift, value := 0, 0
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(vlqChars, s[i])
		if d < 0 {
			return nil, errors.New("bad source map mapping")
		}
		value += (d & 31) << shift
		if d&32 != 0 {
			shift += 5
			continue
		}
		n := value >> 1
		if value&1 != 0 {
			n = -n
		}
		out = append(out, n)
		shift, value = 0, 0
	}
	return out, nil
}

func encodeVLQ(fields []int) string {
	var b strings.Builder
	for _, n := range fields {
		v := n << 1
		if n < 0 {
			v = (-n << 1) | 1
		}
		for {
			d := v & 31
			v >>= 5
			if v > 0 {
				d |= 32
			}
			b.WriteByte(vlqChars[d])
			if v == 0 {
				break
			}
		}
	}
	return b.String()
}
