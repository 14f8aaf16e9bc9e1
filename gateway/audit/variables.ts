// Variables as the audit stores them (CJIS AU-3: what was asked, without letting a client
// grow the log at will): at most 8 levels deep, 50 keys or items per level and 512
// characters per string, with the SHA-256 of the whole (canonical JSON) beside them, so the
// stored part can be matched against the request a client or a log elsewhere shows.
import { createHash } from 'node:crypto';
import { canonicalJson } from './record.ts';

/** Deeper request bodies are refused before anything else reads them (canonicalJson recurses). */
export const MAX_BODY_DEPTH = 32;
const MAX_DEPTH = 8;
const MAX_ITEMS = 50;
const MAX_STRING = 512;

/** How deep `value` nests, counted without recursion (a hostile body cannot overflow the stack here). */
export function nestingDepth(value: unknown, stopAt = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (!current || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > stopAt) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The stored form: bounded copy, hash of the whole, and whether anything was cut. */
export function boundedVariables(variables: Record<string, unknown> | null | undefined): { variables: Record<string, unknown> | null; variablesHash: string | null; variablesTruncated: boolean } {
  if (!variables) return { variables: variables ?? null, variablesHash: null, variablesTruncated: false };
  let truncated = false;
  const bound = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') {
      if (value.length <= MAX_STRING) return value;
      truncated = true;
      return `${value.slice(0, MAX_STRING)}…[${value.length} characters]`;
    }
    if (!value || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) {
      truncated = true;
      return '[nested deeper than 8 levels]';
    }
    const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
    if (entries.length > MAX_ITEMS) truncated = true;
    const kept = entries.slice(0, MAX_ITEMS).map(([key, item]) => [key, bound(item, depth + 1)] as const);
    if (Array.isArray(value)) return [...kept.map(([, item]) => item), ...(entries.length > MAX_ITEMS ? [`[${entries.length - MAX_ITEMS} more]`] : [])];
    return Object.fromEntries(entries.length > MAX_ITEMS ? [...kept, ['…', `${entries.length - MAX_ITEMS} more keys`]] : kept);
  };
  const variablesHash = nestingDepth(variables, MAX_BODY_DEPTH) > MAX_BODY_DEPTH ? null : createHash('sha256').update(canonicalJson(variables)).digest('hex');
  const result = bound(variables, 0) as Record<string, unknown>;
  return { variables: result, variablesHash, variablesTruncated: truncated };
}
