import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup as lookupCb } from 'node:dns';
import { badInput } from '@csp/kernel';

/** Addresses a webhook must never reach in production: private, loopback, link-local, CGNAT, multicast, unspecified. */
const blocked = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, bits, 'ipv6');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is checked as the IPv4 address it is. */
const unmapped = (a: string) => (/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.test(a) ? a.replace(/^::ffff:/i, '') : a);

export function isForbiddenAddress(address: string): boolean {
  const a = unmapped(address);
  return blocked.check(a, family(a));
}
const isLoopback = (address: string) => {
  const a = unmapped(address);
  return LOOPBACK.check(a, family(a));
};

/** Why an address is refused, or undefined. Outside production, http/https to loopback is allowed (local receivers). */
export function addressProblem(address: string, production: boolean): string | undefined {
  if (!isForbiddenAddress(address)) return undefined;
  if (!production && isLoopback(address)) return undefined;
  return `it resolves to ${address}, a private, loopback or link-local address; webhooks only reach public internet addresses`;
}

/**
 * Checks a webhook URL at registration: https (http only to loopback and only outside
 * production), no credentials, and every address its host resolves to public.
 */
export async function checkWebhookUrl(raw: string, production: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput(`${JSON.stringify(raw)} is not a URL.`, 'url');
  }
  if (url.username || url.password) throw badInput('A webhook URL must not carry credentials.', 'url');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await lookup(host, { all: true, verbatim: true }).then((r) => r.map((x) => x.address), () => []);
  if (!addresses.length) throw badInput(`The host of ${url.origin} does not resolve.`, 'url');
  if (url.protocol !== 'https:') {
    const localHttp = url.protocol === 'http:' && !production && addresses.every(isLoopback);
    if (!localHttp) throw badInput(`A webhook URL must use https${production ? '' : ' (http is allowed only to a loopback address outside production)'}; ${url.protocol} is not accepted.`, 'url');
  }
  for (const a of addresses) {
    const problem = addressProblem(a, production);
    if (problem) throw badInput(`The webhook URL ${url.origin} is refused: ${problem}.`, 'url');
  }
  return url;
}

/**
 * A DNS lookup for delivery that refuses forbidden addresses, so the address checked is the
 * address connected to (no rebinding between check and connect).
 */
export function guardedLookup(production: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookupCb(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as Array<{ address: string; family: number }>;
      const bad = list.map((a) => addressProblem(a.address, production)).find(Boolean);
      if (bad) return callback(Object.assign(new Error(`refused: ${bad}`), { code: 'EWEBHOOKBLOCKED' }), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}
