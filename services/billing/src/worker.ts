import { runProcess } from '@csp/kernel/runtime/run-process';
import { billingWorkerProcess } from './config';

// The app is loaded inside, after the config check and tracing's start, so that its instrumentations patch it.
runProcess(billingWorkerProcess, async () => (await import('./worker-app')).startBillingWorker());
