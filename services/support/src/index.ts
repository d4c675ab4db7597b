import { runProcess } from '@csp/kernel/dist/runtime/run-process';

// The app is loaded inside, after tracing has started, so that its instrumentations patch it.
runProcess('support', async () => (await import('./app')).startSupport());
