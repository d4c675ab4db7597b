import { runProcess } from '@csp/kernel/runtime/run-process';
import { subscriptionWorkerProcess } from './config';

// The app is loaded inside, after the config check and tracing's start, so that its instrumentations patch it.
runProcess(subscriptionWorkerProcess, async () => (await import('./worker-app')).startSubscriptionWorker());
