import { routedTo, type HandlerMap } from '@csp/events';

/**
 * A consumer's handler map is typed against the event routes: a routed event without a handler
 * does not build (make test type-checks this file; an unused @ts-expect-error fails it), and
 * the consumer checks the same list at start (packages/kernel/test/projection.test.ts).
 */
const noop = async () => undefined;

// @ts-expect-error partner.onboarded is routed to catalog: a map without its handler does not build.
const missing: HandlerMap<'catalog'> = {};
// @ts-expect-error invoice.issued is not routed to catalog: a handler for it does not build either.
const extra: HandlerMap<'catalog'> = { 'partner.onboarded': noop, 'invoice.issued': noop };
const complete: HandlerMap<'catalog'> = { 'partner.onboarded': noop };

it('the run-time list of routed events is the one the type is built from', () => {
  expect(routedTo('catalog')).toEqual(['partner.onboarded']);
  expect(Object.keys(complete)).toEqual(routedTo('catalog'));
  expect([missing, extra].map((m) => Object.keys(m).length)).toEqual([0, 2]);
});
