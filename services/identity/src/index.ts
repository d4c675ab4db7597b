import { runProcess } from '@csp/kernel/runtime/run-process';
import { identityProcess } from './config';

// The app is loaded inside, after the config check and tracing's start, so that its instrumentations patch it.
runProcess(identityProcess, async () => (await import('./app')).startIdentity());
