/**
 * Where a metric is defined in tidemark.json: the range of its key (`"bundle-size"` under
 * `metrics`), found in the live text so that it matches what the editor shows. Pure.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';

export interface TextPosition {
  /** Zero-based, like vscode.Position. */
  line: number;
  character: number;
}

export interface KeyRange {
  offset: number;
  length: number;
  start: TextPosition;
  end: TextPosition;
}

function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length - 1, character: offset - lineStart };
}

/** The key's range (quotes included), or undefined when the text has no such metric. */
export function metricKeyRange(configText: string, metric: string): KeyRange | undefined {
  const root = parseTree(configText, [], { allowTrailingComma: true, disallowComments: false });
  const value = root && findNodeAtLocation(root, ['metrics', metric]);
  const key = value?.parent?.type === 'property' ? value.parent.children?.[0] : undefined;
  if (!key) return undefined;
  return { offset: key.offset, length: key.length, start: positionAt(configText, key.offset), end: positionAt(configText, key.offset + key.length) };
}
