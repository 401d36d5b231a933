/**
 * Where a run came from, in words the tree, status bar and report tooltips share. The words
 * live in the core's vocabulary (one table of event words for every surface). Pure.
 */
export { EVENT_WORDS, originOf, type Origin } from '../../core/analysis/vocabulary';
