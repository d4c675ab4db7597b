/** Input rules every service applies: one home for amounts, codes, names and periods. */
export * from './decimals';
export * from './codes';
export * from './names';
export * from './periods';
