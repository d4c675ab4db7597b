import { runProcess } from '@csp/kernel/runtime/run-process';
import { accessControlProcess } from './config';

// The app is loaded inside, after the config check and tracing's start, so that its instrumentations patch it.
runProcess(accessControlProcess, async () => (await import('./app')).startAccessControl());
