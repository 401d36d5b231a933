/**
 * Git: the one runner (run.ts) and the questions Tidemark asks it. Add a new concern as its own
 * file here (e.g. notes.ts, revisions.ts, worktree.ts) using `git()` from ./run, and export it below.
 */
export { git, gitText, SHA_RE, type GitOptions, type GitOutput } from './run';
export { gitContext, isGitRepo, defaultBranch, mergeBase, parseStatusV2 } from './context';
export { resolveCommit, checkedOut, referenceRef, referenceTip, ancestors, type CommitInfo } from './history';
export { resolveRevision, selectCommits, RevisionError, type RevisionSelection } from './revisions';
export { firstParentOrder, commitDetails, existingCommits, tagsByCommit, type CommitDetails } from './commits';
export { addTemporaryWorktree, WorktreeError, type TemporaryWorktree } from './worktree';
export { lastHeadMove, type HeadMove } from './reflog';
