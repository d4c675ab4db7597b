// Preloaded (node --require) into every process a test starts, to prove that nothing phones home:
// each attempt to reach an address outside the loopback range — a TCP connect, a UDP send, or a
// DNS lookup of a name other than localhost — is appended to NET_GUARD_LOG. The attempt itself
// goes ahead unchanged; the test reads the log.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const dgram = require('node:dgram');

const log = process.env.NET_GUARD_LOG;
if (log) {
  const loopback = (host) => {
    if (host === undefined || host === null || host === '') return true; // defaults to localhost
    const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
    if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0.0.0.0' || h === '::') return true;
    if (h.startsWith('::ffff:')) return loopback(h.slice(7));
    return net.isIPv4(h) && h.startsWith('127.');
  };
  const note = (what, host, port) => {
    if (loopback(host)) return;
    const entry = { pid: process.pid, argv: process.argv.slice(1).join(' '), what, host: String(host), port, stack: new Error().stack.split('\n').slice(2, 8).join(' | ') };
    try {
      fs.appendFileSync(log, `${JSON.stringify(entry)}\n`);
    } catch {
      // the log is the test's; never break the process under test
    }
  };
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const o = args[0];
    if (o && typeof o === 'object' && !Array.isArray(o)) {
      if (!o.path) note('tcp', o.host, o.port);
    } else if (typeof o === 'number' || (typeof o === 'string' && /^\d+$/.test(o))) {
      note('tcp', typeof args[1] === 'string' ? args[1] : undefined, Number(o));
    }
    return connect.apply(this, args);
  };
  const lookup = dns.lookup;
  dns.lookup = function guardedLookup(host, ...rest) {
    note('dns', host);
    return lookup.call(this, host, ...rest);
  };
  const plookup = dns.promises.lookup;
  dns.promises.lookup = function guardedPromiseLookup(host, ...rest) {
    note('dns', host);
    return plookup.call(this, host, ...rest);
  };
  const send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function guardedSend(...args) {
    const addr = args.find((a, i) => i > 0 && typeof a === 'string');
    note('udp', addr);
    return send.apply(this, args);
  };
}
