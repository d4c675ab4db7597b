import { runProcess } from '@csp/kernel/runtime/run-process';
import { subscriptionProcess } from './config';

// The app is loaded inside, after the config check and tracing's start, so that its instrumentations patch it.
runProcess(subscriptionProcess, async () => (await import('./app')).startSubscription());
