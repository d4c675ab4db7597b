import { runProcess } from '@csp/kernel/runtime/run-process';
import { gatewayEnv } from './config';

// The server is loaded inside, after the config check and tracing's start, so that its instrumentations patch it.
runProcess({ name: 'gateway', env: gatewayEnv }, async () => (await import('./server')).startGateway());
