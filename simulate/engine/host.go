package engine

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// hostName is the global through which the shims reach Go. It is not
// enumerable, and holds only pure functions.
const hostName = "__mfapolicyHost"

// maxRandomBytes bounds crypto.randomBytes in simulation.
const maxRandomBytes = 1 << 16

// installHost defines the Go functions the shims and the Rule adapter
// call: hashes, random values, byte encodings, URL parsing, and notes on
// the current login's decision.
func installHost(r *Runner) {
	vm := r.vm
	h := vm.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) {
		_ = h.DefineDataProperty(name, vm.ToValue(fn), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	}
	throw := func(format string, args ...any) {
		panic(vm.NewTypeError(fmt.Sprintf(format, args...)))
	}
	bytesArg := func(v goja.Value) []byte {
		if ab, ok := v.Export().(goja.ArrayBuffer); ok {
			return ab.Bytes()
		}
		throw("expected bytes")
		return nil
	}
	set("hash", func(c goja.FunctionCall) goja.Value {
		alg := c.Argument(0).String()
		h := newHash(alg)
		if h == nil {
			throw("Digest method not supported in simulation: %s (supported: md5, sha1, sha256, sha384, sha512)", alg)
		}
		h.Write(bytesArg(c.Argument(1)))
		return vm.ToValue(vm.NewArrayBuffer(h.Sum(nil)))
	})
	set("hmac", func(c goja.FunctionCall) goja.Value {
		alg := c.Argument(0).String()
		if newHash(alg) == nil {
			throw("Digest method not supported in simulation: %s (supported: md5, sha1, sha256, sha384, sha512)", alg)
		}
		m := hmac.New(func() hash.Hash { return newHash(alg) }, bytesArg(c.Argument(1)))
		m.Write(bytesArg(c.Argument(2)))
		return vm.ToValue(vm.NewArrayBuffer(m.Sum(nil)))
	})
	set("randomBytes", func(c goja.FunctionCall) goja.Value {
		n := c.Argument(0).ToInteger()
		if n < 0 || n > maxRandomBytes {
			throw("randomBytes: size must be between 0 and %d in simulation", maxRandomBytes)
		}
		b := make([]byte, n)
		_, _ = rand.Read(b)
		return vm.ToValue(vm.NewArrayBuffer(b))
	})
	set("randomUUID", func(goja.FunctionCall) goja.Value { return vm.ToValue(uuid4()) })
	set("encode", func(c goja.FunctionCall) goja.Value {
		s, err := encodeBytes(bytesArg(c.Argument(0)), c.Argument(1).String())
		if err != nil {
			throw("%v", err)
		}
		return vm.ToValue(s)
	})
	set("decode", func(c goja.FunctionCall) goja.Value {
		b, err := decodeString(c.Argument(0).String(), c.Argument(1).String())
		if err != nil {
			throw("%v", err)
		}
		return vm.ToValue(vm.NewArrayBuffer(b))
	})
	set("parseURL", func(c goja.FunctionCall) goja.Value {
		base := ""
		if b := c.Argument(1); !goja.IsUndefined(b) && !goja.IsNull(b) {
			base = b.String()
		}
		u, err := parseURL(c.Argument(0).String(), base)
		if err != nil {
			throw("Invalid URL: %s", c.Argument(0).String())
		}
		return vm.ToValue(urlParts(u))
	})
	set("note", func(c goja.FunctionCall) goja.Value {
		r.note("%s", c.Argument(0).String())
		return goja.Undefined()
	})
	// warn notes a Rule shape that was never Auth0's API, once per login.
	set("warn", func(c goja.FunctionCall) goja.Value {
		msg := RuleWarningPrefix + c.Argument(1).String()
		for _, n := range r.cur.Notes {
			if n == msg {
				return goja.Undefined()
			}
		}
		r.note("%s", msg)
		return goja.Undefined()
	})
	// multifactor records that event.user.multifactor was derived (shims/user.js).
	set("multifactor", func(c goja.FunctionCall) goja.Value {
		if c.Argument(0).ToBoolean() {
			r.cur.multifactor = MultifactorGuardianFact
		} else {
			r.cur.multifactor = MultifactorNoneFact
		}
		return goja.Undefined()
	})
	InstallHTTP(vm, h, r.fixtures, func(host string) { r.cur.refused = append(r.cur.refused, host) })
	_ = vm.GlobalObject().DefineDataProperty(hostName, h, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

func newHash(alg string) hash.Hash {
	switch strings.ToLower(strings.ReplaceAll(alg, "-", "")) {
	case "md5":
		return md5.New()
	case "sha1":
		return sha1.New()
	case "sha256":
		return sha256.New()
	case "sha384":
		return sha512.New384()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// uuid4 is a random version 4 UUID, as crypto.randomUUID returns.
func uuid4() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// encodeBytes implements Buffer#toString and digest(encoding).
func encodeBytes(b []byte, enc string) (string, error) {
	switch strings.ToLower(enc) {
	case "hex":
		return hex.EncodeToString(b), nil
	case "base64":
		return base64.StdEncoding.EncodeToString(b), nil
	case "base64url":
		return base64.RawURLEncoding.EncodeToString(b), nil
	case "utf8", "utf-8", "":
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	case "latin1", "binary":
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r), nil
	case "ascii":
		r := make([]byte, len(b))
		for i, c := range b {
			r[i] = c & 0x7f
		}
		return string(r), nil
	}
	return "", fmt.Errorf("Unknown encoding: %s", enc)
}

// decodeString implements Buffer.from(string, encoding).
func decodeString(s, enc string) ([]byte, error) {
	switch strings.ToLower(enc) {
	case "utf8", "utf-8", "":
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		return []byte(s), nil
	case "hex":
		if len(s)%2 == 1 {
			s = s[:len(s)-1]
		}
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, nil // Node stops at the first bad pair; simplified to empty
		}
		return b, nil
	case "base64", "base64url":
		s = strings.NewReplacer("-", "+", "_", "/", "=", "", "\n", "", "\r", "", " ", "").Replace(s)
		b, err := base64.RawStdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("invalid base64 input")
		}
		return b, nil
	case "latin1", "binary", "ascii":
		b := make([]byte, 0, len(s))
		for _, r := range s {
			b = append(b, byte(r))
		}
		return b, nil
	}
	return nil, fmt.Errorf("Unknown encoding: %s", enc)
}

// parseURL parses an absolute URL, or a reference against base, as the
// WHATWG URL constructor does for the usual http(s) URLs.
func parseURL(input, base string) (*url.URL, error) {
	if base != "" {
		b, err := url.Parse(base)
		if err != nil || b.Scheme == "" {
			return nil, fmt.Errorf("invalid base")
		}
		ref, err := url.Parse(input)
		if err != nil {
			return nil, err
		}
		return b.ResolveReference(ref), nil
	}
	u, err := url.Parse(input)
	if err != nil || u.Scheme == "" {
		return nil, fmt.Errorf("invalid URL")
	}
	return u, nil
}

// urlParts are the components of a URL object.
func urlParts(u *url.URL) map[string]any {
	protocol := strings.ToLower(u.Scheme) + ":"
	path := u.EscapedPath()
	if path == "" && u.Host != "" {
		path = "/"
	}
	search := ""
	if u.RawQuery != "" {
		search = "?" + u.RawQuery
	}
	hash := ""
	if u.Fragment != "" {
		hash = "#" + u.EscapedFragment()
	}
	user, pass := "", ""
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
	}
	port := u.Port()
	if (protocol == "http:" && port == "80") || (protocol == "https:" && port == "443") {
		port = ""
	}
	hostname := strings.ToLower(u.Hostname())
	host := hostname
	if port != "" {
		host += ":" + port
	}
	origin := "null"
	if u.Host != "" {
		origin = protocol + "//" + host
	}
	return map[string]any{
		"protocol": protocol, "username": user, "password": pass, "hostname": hostname, "port": port,
		"host": host, "pathname": path, "search": search, "hash": hash, "origin": origin,
	}
}
