/**
 * Reading tidemark.json as JSONC: comments are fine; syntax errors, trailing commas and
 * duplicate keys are problems with their exact position. Also maps a JSON path to its node.
 */
import { ParseErrorCode, SyntaxKind, createScanner, getLocation, getNodeValue, parseTree, type Node, type ParseError } from 'jsonc-parser';

export type JsonPath = (string | number)[];

/** A problem known by its offset range, before line and column are worked out. */
export interface RangedProblem {
  path: string;
  message: string;
  offset: number;
  length: number;
}

export interface JsoncDocument {
  root: Node | undefined;
  /** The parsed value, meaningful only when `syntaxOk`. */
  value: unknown;
  /** False when the text is not JSON at all here; then only `problems` is meaningful. */
  syntaxOk: boolean;
  /** Syntax errors, trailing commas and duplicate keys. */
  problems: RangedProblem[];
}

export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

export function readJsonc(text: string): JsoncDocument {
  const errors: ParseError[] = [];
  // Trailing commas are reported by findTrailingCommas at the comma itself, which is clearer
  // than the parser's "value expected" at the closing bracket.
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const problems: RangedProblem[] = withoutKnockOnErrors(errors).map((e) => ({
    path: dottedPath(getLocation(text, e.offset).path),
    message: syntaxMessage(e, text),
    offset: e.offset,
    length: e.length,
  }));
  const syntaxOk = problems.length === 0 && root !== undefined;
  problems.push(...findTrailingCommas(text));
  if (root) problems.push(...findDuplicateKeys(root));
  return { root, value: syntaxOk && root ? getNodeValue(root) : undefined, syntaxOk, problems };
}

/**
 * The parser recovers by reporting again right where its last error ended (`'x'` gives "invalid
 * symbol" then "value expected"); only the first of such a run says something useful.
 */
function withoutKnockOnErrors(errors: ParseError[]): ParseError[] {
  const kept: ParseError[] = [];
  let end = -1;
  for (const error of errors) {
    if (error.offset > end) kept.push(error);
    end = Math.max(end, error.offset + error.length);
  }
  return kept;
}

function syntaxMessage(error: ParseError, text: string): string {
  const found = text.slice(error.offset, error.offset + Math.max(error.length, 1));
  switch (error.error) {
    case ParseErrorCode.ValueExpected:
      if (text.trim() === '') return 'the file is empty: expected a JSON object such as { "metrics": { ... } }';
      return error.offset >= text.length ? 'the file ends too early: expected a value' : `expected a value, found ${JSON.stringify(found)}`;
    case ParseErrorCode.InvalidSymbol:
      if (/^'.*'$/.test(found)) return `${found} must be in double quotes`;
      if (/^[A-Za-z_$][\w$-]*$/.test(found)) return `unexpected ${JSON.stringify(found)}: strings and keys must be in double quotes`;
      return `unexpected ${JSON.stringify(found)}: expected a value, a key or punctuation`;
    case ParseErrorCode.InvalidNumberFormat:
      return `${JSON.stringify(found)} is not a valid JSON number`;
    case ParseErrorCode.PropertyNameExpected:
      return 'expected a key in double quotes';
    case ParseErrorCode.ColonExpected:
      return 'expected ":" after the key';
    case ParseErrorCode.CommaExpected:
      return 'expected "," between two entries';
    case ParseErrorCode.CloseBraceExpected:
      return 'expected "}" to close the object';
    case ParseErrorCode.CloseBracketExpected:
      return 'expected "]" to close the list';
    case ParseErrorCode.EndOfFileExpected:
      return 'unexpected text after the end of the JSON object';
    case ParseErrorCode.InvalidCommentToken:
      return 'invalid comment';
    case ParseErrorCode.UnexpectedEndOfComment:
      return 'the comment is not closed (missing "*/")';
    case ParseErrorCode.UnexpectedEndOfString:
      return 'the string is not closed (missing \'"\')';
    case ParseErrorCode.UnexpectedEndOfNumber:
      return 'the number is incomplete';
    case ParseErrorCode.InvalidUnicode:
      return 'invalid unicode escape (expected \\u followed by 4 hex digits)';
    case ParseErrorCode.InvalidEscapeCharacter:
      return 'invalid escape in a string (use \\\\ for a backslash)';
    case ParseErrorCode.InvalidCharacter:
      return 'invalid character in a string (line breaks and tabs must be written as \\n and \\t)';
    default:
      return 'invalid JSON';
  }
}

function findTrailingCommas(text: string): RangedProblem[] {
  const scanner = createScanner(text, true);
  const problems: RangedProblem[] = [];
  let lastComma: number | undefined;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if ((token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) && lastComma !== undefined) {
      problems.push({
        path: dottedPath(getLocation(text, lastComma).path.slice(0, -1)),
        message: `trailing comma before "${token === SyntaxKind.CloseBraceToken ? '}' : ']'}" is not allowed: remove it`,
        offset: lastComma,
        length: 1,
      });
    }
    lastComma = token === SyntaxKind.CommaToken ? scanner.getTokenOffset() : undefined;
  }
  return problems;
}

function findDuplicateKeys(root: Node): RangedProblem[] {
  const problems: RangedProblem[] = [];
  const visit = (node: Node, path: JsonPath): void => {
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode) continue;
        const key = String(keyNode.value);
        if (seen.has(key)) {
          problems.push({
            path: dottedPath([...path, key]),
            message: `duplicate key "${key}": each key may appear only once in an object`,
            offset: keyNode.offset,
            length: keyNode.length,
          });
        }
        seen.add(key);
        if (valueNode) visit(valueNode, [...path, key]);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((child, i) => visit(child, [...path, i]));
    }
  };
  visit(root, []);
  return problems;
}

/** The property (key + value) node for `key` in an object node; the last one wins, as in the parsed value. */
export function findProperty(objectNode: Node, key: string): Node | undefined {
  let found: Node | undefined;
  for (const property of objectNode.children ?? []) {
    if (property.children?.[0]?.value === key) found = property;
  }
  return found;
}

/** The deepest node along `path`, and whether it is the node at the whole path. */
export function nodeAtPath(root: Node, path: readonly PropertyKey[]): { node: Node; exact: boolean } {
  let node = root;
  for (const segment of path) {
    let next: Node | undefined;
    if (node.type === 'object') next = findProperty(node, String(segment))?.children?.[1];
    else if (node.type === 'array' && typeof segment === 'number') next = node.children?.[segment];
    if (!next) return { node, exact: false };
    node = next;
  }
  return { node, exact: true };
}
