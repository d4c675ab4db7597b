export * from './env';
export * from './client';
export { CONTRACT_DIR, contractOperation, contractOperations, eventually, type ContractOperation } from '@csp/fixtures';
export * from './contract-pending';
export * from './stack';
export * from './processes';
export * from './round-robin';
export * from './world';
export * from './store-commands';
