package engine

import (
	"errors"
	"regexp"
	"strings"

	"github.com/dop251/goja"
)

// Settle waits for an async handler and returns what it resolved to (or
// returned, when it is not async): goja runs the job queue when the call
// returns, so a promise still pending then can never Settle.
func Settle(ret goja.Value) (goja.Value, error) {
	obj, ok := ret.(*goja.Object)
	if !ok {
		return ret, nil
	}
	p, ok := obj.Export().(*goja.Promise)
	if !ok {
		return ret, nil
	}
	switch p.State() {
	case goja.PromiseStateRejected:
		return nil, errors.New(thrownText(p.Result(), ""))
	case goja.PromiseStatePending:
		return nil, errors.New("the Action's promise never settled: no timer or HTTP fixture response was left to resolve it")
	}
	return p.Result(), nil
}

// ErrorText is the message of an error thrown in JavaScript with the
// place it was thrown ("TypeError: x is not a function (at code.js:3:7)"),
// or of a Go error.
func ErrorText(err error) string {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return thrownText(ex.Value(), ex.String())
	}
	return err.Error()
}

// thrownText formats a thrown value with the first stack frame that names
// a position in the Action's own code.
func thrownText(v goja.Value, stack string) string {
	msg := ValueText(v)
	if o, ok := v.(*goja.Object); ok {
		if stack == "" {
			if s := o.Get("stack"); s != nil && !goja.IsUndefined(s) {
				stack = s.String()
			}
		}
		// Node prints an error's cause too (fetch failed: connect ECONNREFUSED ...).
		if c, ok := o.Get("cause").(*goja.Object); ok && c.ClassName() == "Error" {
			msg += " (cause: " + ValueText(c.Get("message")) + ")"
		}
	}
	for _, m := range framePos.FindAllStringSubmatch(stack, -1) {
		if !strings.HasPrefix(m[1], ShimNamespace+":") { // the caller of a shim
			msg += " (at " + m[1] + ")"
			break
		}
	}
	return msg
}

// framePos finds "file:line:col" in a goja stack frame such as
// "at f (code.js:3:7(12))"; the last number is a bytecode offset.
var framePos = regexp.MustCompile(`\bat [^\n]*?\(?([^\s()]+:\d+:\d+)(?:\(\d+\))?\)?`)

// ValueText is v converted to a string, "undefined" for a nil value.
func ValueText(v goja.Value) string {
	if v == nil {
		return "undefined"
	}
	return v.String()
}
