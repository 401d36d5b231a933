/** Sharing runs through git notes: the note format and publish / pull / sync. */
export * from './format';
export * from './sync';
