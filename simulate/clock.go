package simulate

import (
	"time"

	"github.com/dop251/goja"
)

// setClock makes the runtime's clock read t: Date.now() returns its
// milliseconds and new Date() with no argument is that instant, so that a
// compiled policy's `now` is the time the run is set to on any day it is
// run. A zero t leaves the wall clock.
func setClock(vm *goja.Runtime, t time.Time) {
	if t.IsZero() {
		return
	}
	_ = vm.Set("__mfapolicyNow", t.UnixMilli())
	// The script only wraps the built-in Date; it runs before the Action.
	_, err := vm.RunString(`(function (now) {
  const RealDate = Date;
  function FixedDate(...args) {
    if (!new.target) return new RealDate(now).toString();
    return args.length === 0 ? new RealDate(now) : new RealDate(...args);
  }
  FixedDate.prototype = RealDate.prototype;
  FixedDate.now = function now_() { return now; };
  FixedDate.parse = RealDate.parse;
  FixedDate.UTC = RealDate.UTC;
  Object.defineProperty(RealDate.prototype, "constructor", { value: FixedDate, writable: true, configurable: true });
  globalThis.Date = FixedDate;
})(__mfapolicyNow); delete globalThis.__mfapolicyNow;`)
	if err != nil {
		panic(err) // the script is constant
	}
}
