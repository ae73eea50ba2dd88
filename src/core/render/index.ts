export * from './action-values';
export * from './format';
export * from './gap-report';
export * from './nudge';
export * from './outcome';
export * from './simple-messages';
export * from './status';
export * from './vote-message';
