/** Parsing XML reports with a real parser: well-formedness is checked first, with its position. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CollectorError } from './errors';

export type XmlNode = Record<string, unknown>;

/**
 * Parses XML; attributes are kept under `@name` (so an attribute never passes for a child element
 * of the same name), the listed elements are always arrays.
 */
export function parseXml(text: string, shownAs: string, arrayElements: readonly string[]): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new CollectorError(`${shownAs} is not well-formed XML (line ${valid.err.line}, column ${valid.err.col})`);
  const arrays = new Set(arrayElements);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseAttributeValue: false,
    parseTagValue: false,
    processEntities: true,
    isArray: (name) => arrays.has(name),
  });
  return parser.parse(text) as XmlNode;
}

/** Child elements of a node as an array of nodes (empty elements parse as '' and count). */
export function children(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const value = (node as XmlNode)[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (v && typeof v === 'object' ? (v as XmlNode) : {}));
}

/** A numeric attribute; absent gives undefined, present but not a number is invalid output. */
export function numberAttr(node: XmlNode, name: string, where: string): number | undefined {
  const raw = node[`@${name}`];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(n)) throw new CollectorError(`${where}: attribute ${name} is not a number`);
  return n;
}

export function stringAttr(node: XmlNode, name: string): string | undefined {
  const raw = node[`@${name}`];
  return typeof raw === 'string' ? raw : undefined;
}
