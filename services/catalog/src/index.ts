import { runProcess } from '@csp/kernel/runtime/run-process';
import { catalogProcess } from './config';

// The app is loaded inside, after the config check and tracing's start, so that its instrumentations patch it.
runProcess(catalogProcess, async () => (await import('./app')).startCatalog());
