import { pollUntil } from '@csp/kernel';

/** The one wait-until of the platform (read-your-writes, the owner-grant answer, the tests' eventually). */
it('answers as soon as the probe does', async () => {
  let n = 0;
  const r = await pollUntil(async () => ++n >= 3 && n, { timeoutMs: 5_000, pauseMs: 1 });
  expect(r).toEqual({ value: 3 });
});

it('gives up once its real-time deadline has passed, with no value', async () => {
  let asked = 0;
  const started = performance.now();
  const r = await pollUntil(async () => (asked++, false), { timeoutMs: 60, pauseMs: 5, maxPauseMs: 20 });
  expect(r.value).toBeUndefined();
  expect(asked).toBeGreaterThan(1);
  expect(performance.now() - started).toBeGreaterThanOrEqual(55);
});

it("ends with the probe's error, unless told to keep asking (then the last error comes back)", async () => {
  await expect(pollUntil(async () => { throw new Error('store down'); }, { timeoutMs: 1_000 })).rejects.toThrow('store down');
  const r = await pollUntil(async () => { throw new Error('still down'); }, { timeoutMs: 30, pauseMs: 5, retryErrors: true });
  expect(r).toEqual({ lastError: new Error('still down') });
});
