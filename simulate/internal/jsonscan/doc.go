// Package jsonscan is the byte-level JSON scanner of the simulator: it
// walks one record as JSON.parse reads it (strings, escapes, numbers,
// literals, skipping values it does not build) and is embedded by the
// decoders above it. It owns no notion of events, logins or JavaScript
// values, and imports nothing of the module.
package jsonscan
