/**
 * A starter tidemark.json built from what a folder already has: a build output folder, coverage
 * reports, package.json scripts, sources. Shared by the extension's "Create Config" and the CLI.
 *
 * Commands are small `node -e` programs rather than `du`/`wc` pipelines so the starter config
 * works the same on Linux, macOS and Windows.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Direction, MetricType, Unit } from '../types';

export interface StarterMetric {
  type: MetricType;
  command: string;
  description: string;
  unit?: Unit;
  direction?: Direction;
  onSave?: boolean | string[];
}

export interface StarterConfig {
  metrics: Record<string, StarterMetric>;
}

export interface Detection {
  config: StarterConfig;
  /** One line per thing found, for people ("dist/ found: bundle-size"). */
  findings: string[];
}

const OUTPUT_DIRS = ['dist', 'build', 'out'];
const SOURCE_DIRS = ['src', 'lib', 'app'];

async function exists(p: string, kind: 'file' | 'dir'): Promise<boolean> {
  try {
    const s = await fs.stat(p);
    return kind === 'file' ? s.isFile() : s.isDirectory();
  } catch {
    return false;
  }
}

async function readScripts(folder: string): Promise<Record<string, string>> {
  try {
    const pkg = JSON.parse(await fs.readFile(path.join(folder, 'package.json'), 'utf8')) as { scripts?: unknown };
    if (!pkg.scripts || typeof pkg.scripts !== 'object') return {};
    return Object.fromEntries(Object.entries(pkg.scripts).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

function nodeEval(program: string): string {
  return `node -e "${program.replace(/"/g, '\\"')}"`;
}

function sizeOfDir(dir: string): string {
  return nodeEval(
    `const fs=require('fs'),p=require('path');let n=0;` +
      `for(const f of fs.readdirSync('${dir}',{recursive:true})){const s=fs.statSync(p.join('${dir}',f));if(s.isFile())n+=s.size}` +
      `console.log(n)`,
  );
}

function linesOfDir(dir: string): string {
  return nodeEval(
    `const fs=require('fs'),p=require('path');let n=0;` +
      `for(const f of fs.readdirSync('${dir}',{recursive:true})){const q=p.join('${dir}',f);if(fs.statSync(q).isFile())n+=fs.readFileSync(q,'utf8').split('\\n').length}` +
      `console.log(n)`,
  );
}

function timeScript(script: string): string {
  return nodeEval(
    `const t=process.hrtime.bigint();require('child_process').execSync('npm run ${script}',{stdio:'ignore'});` +
      `console.log(Number(process.hrtime.bigint()-t)/1e9)`,
  );
}

/** Looks at `folder` (reading files only, running nothing) and proposes metrics for it. */
export async function detectStarterConfig(folder: string): Promise<Detection> {
  const metrics: Record<string, StarterMetric> = {};
  const findings: string[] = [];
  const scripts = await readScripts(folder);

  for (const dir of OUTPUT_DIRS) {
    if (await exists(path.join(folder, dir), 'dir')) {
      metrics['bundle-size'] = {
        type: 'numeric',
        command: sizeOfDir(dir),
        description: `Total size of ${dir}/`,
        unit: 'bytes',
        direction: 'lower-is-better',
      };
      findings.push(`${dir}/ found: bundle-size measures its total size`);
      break;
    }
  }

  if (await exists(path.join(folder, 'coverage', 'coverage-summary.json'), 'file')) {
    metrics.coverage = {
      type: 'numeric',
      command: nodeEval(`console.log(require('./coverage/coverage-summary.json').total.lines.pct)`),
      description: 'Line coverage from coverage/coverage-summary.json',
      unit: 'percent',
      direction: 'higher-is-better',
    };
    findings.push('coverage/coverage-summary.json found: coverage reads its line coverage');
  } else if (await exists(path.join(folder, 'coverage', 'lcov.info'), 'file')) {
    metrics.coverage = {
      type: 'numeric',
      command: nodeEval(
        `const t=require('fs').readFileSync('coverage/lcov.info','utf8');let f=0,h=0;` +
          `for(const m of t.matchAll(/^(LF|LH):(\\d+)/gm)){if(m[1]==='LF')f+=+m[2];else h+=+m[2]}` +
          `console.log(f?(100*h/f).toFixed(2):0)`,
      ),
      description: 'Line coverage from coverage/lcov.info',
      unit: 'percent',
      direction: 'higher-is-better',
    };
    findings.push('coverage/lcov.info found: coverage reads its line coverage');
  }

  if (typeof scripts.build === 'string') {
    metrics['build-time'] = {
      type: 'numeric',
      command: timeScript('build'),
      description: 'Wall-clock time of npm run build',
      unit: 'duration',
      direction: 'lower-is-better',
    };
    findings.push('package.json has a build script: build-time times it');
  }

  for (const dir of SOURCE_DIRS) {
    if (await exists(path.join(folder, dir), 'dir')) {
      metrics['source-lines'] = {
        type: 'numeric',
        command: linesOfDir(dir),
        description: `Lines in ${dir}/`,
        unit: 'integer',
        onSave: [`${dir}/**`],
      };
      findings.push(`${dir}/ found: source-lines counts its lines, on every save in it`);
      break;
    }
  }

  if (Object.keys(metrics).length === 0) {
    metrics.files = {
      type: 'numeric',
      command: nodeEval(
        `const fs=require('fs');console.log(fs.readdirSync('.',{recursive:true})` +
          `.filter(f=>!/^(\\.git|node_modules)([\\\\/]|$)/.test(f)).length)`,
      ),
      description: 'Files in the folder (outside .git and node_modules)',
      unit: 'integer',
      onSave: true,
    };
    findings.push('nothing specific found: files counts the files in the folder');
  }

  return { config: { metrics }, findings };
}

export function starterConfigText(config: StarterConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
