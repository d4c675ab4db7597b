export * from './env';
export * from './client';
export * from './contract';
export * from './contract-pending';
export * from './stack';
export * from './processes';
export * from './world';
export * from './eventually';
