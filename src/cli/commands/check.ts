import { evaluate, EvaluationError } from '../../core/analysis';
import { exitCodeOf, renderMarkdown, renderText, toCheckReport } from '../../core/analysis/summary';
import type { PartChange } from '../../core/store/parts';
import { booleanFlag, stringFlag, type CliCommand } from '../context';
import { UsageError } from '../errors';

export const command: CliCommand = {
  name: 'check',
  summary: 'Judge the latest run of HEAD against its baseline and thresholds; exit 1 when a "fail" rule is broken.',
  usage: 'tidemark check [--base REF] [--head REF] [--json | --markdown]',
  details: [
    'Options:',
    '  --base REF      compare with the latest clean run of this branch or commit instead of the',
    '                  baseline Tidemark chooses (merge-base with the reference branch, walking back)',
    '  --head REF      judge the latest run of this branch or commit (default: HEAD)',
    '  --markdown      a summary for a CI job or PR comment, e.g. >> "$GITHUB_STEP_SUMMARY"',
    '',
    'Exit codes: 0 no "fail" rule broken (warnings allowed), 1 a "fail" rule broken, 2 usage/config problem',
    '(including: no recorded run for HEAD yet; run `tidemark collect` first).',
    'JSON: {"status","compared","exitCode","head","referenceBranch","mergeBase","counts",',
    '       "rules":[{"metric","rule","status","severity","value","limit","lower","upper","baseline","explanation"}],',
    '       "metrics":[{"metric","value","baseline","delta","deltaPercent","checks","status","band",',
    '                   "change":{"direction","delta","percent","points","text"},"judgement":{"status","text"}}]}',
    'Words: a judgement is pass / warn / fail (or not judged); a change is better / worse / unchanged / changed,',
    'the same words as the editor\'s tree and the report. Percent metrics change in percentage points (pp).',
  ],
  options: { base: 'string', head: 'string', markdown: 'boolean' },
  async run(ctx) {
    const markdown = booleanFlag(ctx, 'markdown');
    if (markdown && ctx.json) throw new UsageError('--json and --markdown cannot be combined');
    const config = await ctx.loadConfig();
    const store = await ctx.openStore({ readOnly: true });
    let evaluation;
    try {
      evaluation = await evaluate({ cwd: ctx.cwd, store, config, head: stringFlag(ctx, 'head'), base: stringFlag(ctx, 'base') });
    } catch (error) {
      if (error instanceof EvaluationError) throw new UsageError(error.message, false);
      throw error;
    }
    if (ctx.json) ctx.out(JSON.stringify(toCheckReport(evaluation), null, 2));
    else if (markdown) {
      // The top three files that moved each metric since its baseline, from the recorded breakdowns.
      const parts = new Map<string, PartChange[]>();
      for (const m of evaluation.metrics) {
        if (!m.build || !m.baseline || m.delta === null || m.delta === 0) continue;
        const changes = await store.partChanges(m.metric, m.baseline.build.id, m.build.id, 3);
        if (changes.length) parts.set(m.metric, changes);
      }
      ctx.write(renderMarkdown(evaluation, parts));
    }
    else ctx.out(renderText(evaluation));
    return exitCodeOf(evaluation);
  },
};
