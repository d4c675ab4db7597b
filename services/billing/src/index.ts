import { runProcess } from '@csp/kernel/runtime/run-process';
import { billingProcess } from './config';

// The app is loaded inside, after the config check and tracing's start, so that its instrumentations patch it.
runProcess(billingProcess, async () => (await import('./app')).startBilling());
