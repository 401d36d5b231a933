// The scale benchmark (scripts/bench/scale.mjs) as a section of npm run bench.
export { sections } from '../scale.mjs';
