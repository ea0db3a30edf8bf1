// events for simulation: Node's EventEmitter, as the http shim and the
// libraries an Action bundles use it.
// Reference: https://nodejs.org/docs/latest-v22.x/api/events.html
'use strict';

class EventEmitter {
  constructor() { Object.defineProperty(this, '_events', { value: new Map(), writable: true }); }
  _list(type) {
    if (!this._events) Object.defineProperty(this, '_events', { value: new Map(), writable: true });
    let l = this._events.get(type);
    if (!l) { l = []; this._events.set(type, l); }
    return l;
  }
  on(type, fn) { this._list(type).push(fn); return this; }
  addListener(type, fn) { return this.on(type, fn); }
  prependListener(type, fn) { this._list(type).unshift(fn); return this; }
  once(type, fn) {
    const w = (...args) => { this.off(type, w); return fn.apply(this, args); };
    w.listener = fn;
    return this.on(type, w);
  }
  off(type, fn) {
    const l = this._list(type);
    const i = l.findIndex((x) => x === fn || x.listener === fn);
    if (i >= 0) l.splice(i, 1);
    return this;
  }
  removeListener(type, fn) { return this.off(type, fn); }
  removeAllListeners(type) { if (type === undefined) this._events = new Map(); else this._events.delete(type); return this; }
  emit(type, ...args) {
    const l = this._list(type).slice();
    if (type === 'error' && l.length === 0) throw args[0] instanceof Error ? args[0] : new Error('Unhandled error. (' + args[0] + ')');
    for (const fn of l) fn.apply(this, args);
    return l.length > 0;
  }
  listeners(type) { return this._list(type).map((x) => x.listener || x); }
  rawListeners(type) { return this._list(type).slice(); }
  listenerCount(type) { return this._list(type).length; }
  eventNames() { return [...this._events.keys()].filter((k) => this._events.get(k).length > 0); }
  setMaxListeners() { return this; }
  getMaxListeners() { return 10; }
}
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.defaultMaxListeners = 10;
EventEmitter.once = (em, type) => new Promise((resolve, reject) => {
  em.once(type, (...args) => resolve(args));
  if (type !== 'error') em.once('error', reject);
});

module.exports = EventEmitter;
