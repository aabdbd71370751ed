/**
 * Amazon EventBridge event pattern matching, for the local runtime's in-process bus.
 *
 * The semantics follow the EventBridge user guide ("Creating event patterns", "Comparison operators",
 * "Arrays in event patterns", "Matching null values and empty strings") and, where the guide is silent,
 * AWS's reference implementation `aws/event-ruler` (`JsonRuleCompiler` for what is valid, `ByteMachine`,
 * `ACFinder` and `CIDR` for what matches):
 *
 * - Every field named in the pattern must match (AND); a leaf is a non-empty array whose elements are
 *   alternatives (OR). Fields the pattern does not name are ignored.
 * - When the event value is an array (nested arrays are flattened), a leaf matches if any element matches.
 *   When a pattern object meets an array of objects, one element must satisfy the whole sub-pattern
 *   (ruler's array consistency), except that a sub-pattern made only of `exists: false` conditions
 *   requires the fields to be absent from every element.
 * - Types are strict: `"5"` never matches `5`, `"true"` never matches `true`, `""` never matches `null`.
 *   Numbers compare by value (`300` equals `3.0e2`); string operators only see strings; `numeric` only
 *   sees numbers.
 * - `exists` only looks at leaves: an object, an empty array or a missing field does not exist; `null` does.
 * - `anything-but` needs the field to be present; it rejects only values of its own kind (a string list
 *   rejects those strings, a number list those numbers), so any other value (including `null`) passes.
 * - `$or` (an array of at least two non-empty objects) may appear at any level; operator names cannot be
 *   used as field names inside it.
 */

type Scalar = string | number | boolean | null;
type Json = Record<string, unknown>;

type LeafMatcher =
  | { readonly kind: 'equals'; readonly value: Scalar; readonly ip: readonly number[] | undefined }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly segments: readonly string[] }
  | { readonly kind: 'anything-but'; readonly rejects: (value: Scalar) => boolean }
  | { readonly kind: 'numeric'; readonly conditions: readonly NumericCondition[] }
  | { readonly kind: 'cidr'; readonly min: readonly number[]; readonly max: readonly number[] }
  | { readonly kind: 'exists'; readonly value: boolean };

type NumericOperator = '=' | '<' | '<=' | '>' | '>=';

interface NumericCondition {
  readonly op: NumericOperator;
  readonly value: number;
}

type CompiledField =
  | { readonly key: string; readonly kind: 'leaf'; readonly matchers: readonly LeafMatcher[] }
  | { readonly key: string; readonly kind: 'object'; readonly node: CompiledObject };

interface CompiledObject {
  readonly fields: readonly CompiledField[];
  /** Each entry is one `$or`: at least one of its branches must match. */
  readonly ors: readonly (readonly CompiledObject[])[];
  /** True when every leaf below is `exists: false` only (see {@link matchSubObject}). */
  readonly absenceOnly: boolean;
}

interface Compiled {
  readonly problems: readonly string[];
  readonly root: CompiledObject | undefined;
}

/** Field names ruler refuses inside a `$or` branch (`Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP`). */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

const OR_KEY = '$or';

/** Thrown by {@link matches} when the pattern is not one EventBridge would accept. */
export class EventPatternError extends Error {
  /** The problems {@link validatePattern} reported. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid event pattern: ${problems.join('; ')}`);
    this.name = 'EventPatternError';
    this.problems = problems;
  }
}

/**
 * Checks a pattern against the EventBridge grammar.
 *
 * @param pattern - The parsed JSON of an event pattern.
 * @returns The problems found, each prefixed with the path it concerns; empty when the pattern is valid.
 */
export function validatePattern(pattern: unknown): string[] {
  return [...compile(pattern).problems];
}

/**
 * Tells whether an event matches a pattern, as an EventBridge rule would decide.
 *
 * The pattern is compiled once and cached by identity, so it must not be mutated afterwards.
 *
 * @param pattern - A valid event pattern (see {@link validatePattern}).
 * @param event - The full event envelope as JSON (`version`, `id`, `detail-type`, `source`, `account`,
 *   `time`, `region`, `resources`, `detail`).
 * @returns True when every condition of the pattern holds for the event.
 * @throws {@link EventPatternError} when the pattern is invalid.
 */
export function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  const { problems, root } = compile(pattern);
  if (root === undefined) {
    throw new EventPatternError(problems);
  }
  return matchObject(root, event);
}

// ---------------------------------------------------------------------------------------------------------
// Compilation and validation

const cache = new WeakMap<object, Compiled>();

function compile(pattern: unknown): Compiled {
  if (typeof pattern === 'object' && pattern !== null) {
    const hit = cache.get(pattern);
    if (hit !== undefined) {
      return hit;
    }
  }
  const problems: string[] = [];
  let root: CompiledObject | undefined;
  if (isPlainObject(pattern)) {
    root = compileObject(pattern, '', false, problems);
  } else {
    problems.push('the pattern must be a JSON object');
  }
  const result: Compiled = { problems, root: problems.length === 0 ? root : undefined };
  if (typeof pattern === 'object' && pattern !== null) {
    cache.set(pattern, result);
  }
  return result;
}

function compileObject(obj: Json, path: string, insideOr: boolean, problems: string[]): CompiledObject {
  const fields: CompiledField[] = [];
  const ors: CompiledObject[][] = [];
  const keys = Object.keys(obj);
  if (keys.length === 0) {
    problems.push(`${where(path)}empty objects are not allowed`);
  }
  for (const key of keys) {
    const value = obj[key];
    const childPath = path === '' ? key : `${path}.${key}`;
    if (key === OR_KEY) {
      const branches = compileOr(value, childPath, problems);
      if (branches !== undefined) {
        ors.push(branches);
      }
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      problems.push(`${where(childPath)}"${key}" is a reserved word and cannot be a field name inside $or`);
    }
    if (Array.isArray(value)) {
      fields.push({ key, kind: 'leaf', matchers: compileLeaf(value, childPath, problems) });
    } else if (isPlainObject(value)) {
      fields.push({ key, kind: 'object', node: compileObject(value, childPath, insideOr, problems) });
    } else {
      problems.push(`${where(childPath)}must be an object or an array`);
    }
  }
  const absenceOnly =
    fields.every((f) =>
      f.kind === 'leaf' ? f.matchers.every((m) => m.kind === 'exists' && !m.value) : f.node.absenceOnly,
    ) && ors.every((branches) => branches.every((b) => b.absenceOnly));
  return { fields, ors, absenceOnly };
}

function compileOr(value: unknown, path: string, problems: string[]): CompiledObject[] | undefined {
  if (!Array.isArray(value)) {
    problems.push(`${where(path)}$or must be an array of objects`);
    return undefined;
  }
  if (value.length < 2) {
    problems.push(`${where(path)}$or needs at least 2 objects`);
  }
  const branches: CompiledObject[] = [];
  value.forEach((branch: unknown, i) => {
    if (isPlainObject(branch)) {
      branches.push(compileObject(branch, `${path}[${i}]`, true, problems));
    } else {
      problems.push(`${where(`${path}[${i}]`)}only objects are allowed in $or`);
    }
  });
  return branches;
}

function compileLeaf(values: readonly unknown[], path: string, problems: string[]): LeafMatcher[] {
  if (values.length === 0) {
    problems.push(`${where(path)}empty arrays are not allowed`);
  }
  const matchers: LeafMatcher[] = [];
  values.forEach((value, i) => {
    const at = `${path}[${i}]`;
    if (typeof value === 'string') {
      matchers.push({ kind: 'equals', value, ip: parseIp(value) });
    } else if (typeof value === 'number') {
      if (Number.isFinite(value)) {
        matchers.push({ kind: 'equals', value, ip: undefined });
      } else {
        problems.push(`${where(at)}numbers must be finite`);
      }
    } else if (typeof value === 'boolean' || value === null) {
      matchers.push({ kind: 'equals', value, ip: undefined });
    } else if (isPlainObject(value)) {
      const matcher = compileOperator(value, at, problems);
      if (matcher !== undefined) {
        matchers.push(matcher);
      }
    } else {
      problems.push(`${where(at)}a match value must be a string, number, boolean, null or an operator object`);
    }
  });
  return matchers;
}

function compileOperator(expr: Json, path: string, problems: string[]): LeafMatcher | undefined {
  const keys = Object.keys(expr);
  const [op] = keys;
  if (op === undefined) {
    problems.push(`${where(path)}empty match expression`);
    return undefined;
  }
  if (keys.length > 1) {
    problems.push(`${where(path)}only one operator is allowed per match expression, got ${keys.join(', ')}`);
    return undefined;
  }
  const arg = expr[op];
  const fail = (message: string): undefined => {
    problems.push(`${where(path)}${message}`);
    return undefined;
  };
  switch (op) {
    case 'prefix':
    case 'suffix': {
      if (typeof arg === 'string') {
        return { kind: op, value: arg, ignoreCase: false };
      }
      if (isPlainObject(arg)) {
        const inner = Object.keys(arg);
        const ignoreCase = arg['equals-ignore-case'];
        if (inner.length === 1 && typeof ignoreCase === 'string') {
          return { kind: op, value: ignoreCase, ignoreCase: true };
        }
        return fail(`${op} accepts a string or { "equals-ignore-case": string }`);
      }
      return fail(`${op} match pattern must be a string`);
    }
    case 'equals-ignore-case':
      return typeof arg === 'string'
        ? { kind: 'equals-ignore-case', value: arg }
        : fail('equals-ignore-case match pattern must be a string');
    case 'wildcard': {
      if (typeof arg !== 'string') {
        return fail('wildcard match pattern must be a string');
      }
      const parsed = parseWildcard(arg);
      return typeof parsed === 'string' ? fail(parsed) : { kind: 'wildcard', segments: parsed };
    }
    case 'anything-but': {
      const rejects = compileAnythingBut(arg, fail);
      return rejects === undefined ? undefined : { kind: 'anything-but', rejects };
    }
    case 'numeric': {
      const conditions = compileNumeric(arg, fail);
      return conditions === undefined ? undefined : { kind: 'numeric', conditions };
    }
    case 'exists':
      return typeof arg === 'boolean'
        ? { kind: 'exists', value: arg }
        : fail('exists match pattern must be either true or false');
    case 'cidr': {
      if (typeof arg !== 'string') {
        return fail('cidr match pattern must be a string');
      }
      const range = parseCidr(arg);
      return typeof range === 'string' ? fail(range) : { kind: 'cidr', ...range };
    }
    default:
      return fail(`unknown operator "${op}"`);
  }
}

type Fail = (message: string) => undefined;

function compileAnythingBut(arg: unknown, fail: Fail): ((value: Scalar) => boolean) | undefined {
  if (typeof arg === 'string') {
    return (v) => v === arg;
  }
  if (typeof arg === 'number') {
    return Number.isFinite(arg) ? (v) => v === arg : fail('anything-but numbers must be finite');
  }
  if (Array.isArray(arg)) {
    const items: unknown[] = arg;
    if (items.length > 0 && items.every((x): x is string => typeof x === 'string')) {
      const set = new Set(items);
      return (v) => typeof v === 'string' && set.has(v);
    }
    if (items.length > 0 && items.every((x): x is number => typeof x === 'number' && Number.isFinite(x))) {
      const set = new Set(items);
      return (v) => typeof v === 'number' && set.has(v);
    }
    return fail('an anything-but list must hold only strings or only numbers, and at least one');
  }
  if (!isPlainObject(arg)) {
    return fail('anything-but must be a string, a number, a list of either, or an object');
  }
  const keys = Object.keys(arg);
  const [op] = keys;
  if (op === undefined || keys.length > 1) {
    return fail('an anything-but object takes exactly one of prefix, suffix, equals-ignore-case, wildcard');
  }
  if (!ANYTHING_BUT_OPERATORS.has(op)) {
    return fail(`unsupported anything-but operator "${op}"`);
  }
  const raw = arg[op];
  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  const strings = list.filter((x): x is string => typeof x === 'string');
  if (strings.length !== list.length) {
    return fail(`anything-but ${op} must be a string or a list of strings`);
  }
  switch (op) {
    case 'prefix':
    case 'suffix': {
      if (strings.some((s) => s === '')) {
        return fail(`anything-but ${op} must not be empty`);
      }
      return op === 'prefix'
        ? (v) => typeof v === 'string' && strings.some((s) => v.startsWith(s))
        : (v) => typeof v === 'string' && strings.some((s) => v.endsWith(s));
    }
    case 'equals-ignore-case': {
      const lowered = new Set(strings.map((s) => s.toLowerCase()));
      return (v) => typeof v === 'string' && lowered.has(v.toLowerCase());
    }
    case 'wildcard': {
      const parsed: (readonly string[])[] = [];
      for (const s of strings) {
        const segments = parseWildcard(s);
        if (typeof segments === 'string') {
          return fail(segments);
        }
        parsed.push(segments);
      }
      return (v) => typeof v === 'string' && parsed.some((segments) => wildcardMatches(segments, v));
    }
    default:
      return fail(`unsupported anything-but operator "${op}"`);
  }
}

const ANYTHING_BUT_OPERATORS: ReadonlySet<string> = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard']);

const LOWER_BOUNDS: ReadonlySet<unknown> = new Set(['>', '>=']);
const UPPER_BOUNDS: ReadonlySet<unknown> = new Set(['<', '<=']);

function compileNumeric(arg: unknown, fail: Fail): NumericCondition[] | undefined {
  if (!Array.isArray(arg)) {
    return fail('numeric must be an array');
  }
  const terms: unknown[] = arg;
  const [op, value, op2, value2] = terms;
  const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (op !== '=' && !LOWER_BOUNDS.has(op) && !UPPER_BOUNDS.has(op)) {
    return fail(`unrecognized numeric operator ${JSON.stringify(op) ?? 'undefined'}`);
  }
  if (!isNumber(value)) {
    return fail(`the value of ${String(op)} must be a number`);
  }
  const first: NumericCondition = { op: op as NumericOperator, value };
  if (terms.length === 2) {
    return [first];
  }
  if (!LOWER_BOUNDS.has(op) || terms.length !== 4) {
    return fail('too many elements in numeric expression');
  }
  if (!UPPER_BOUNDS.has(op2)) {
    return fail(`bad numeric range operator ${JSON.stringify(op2) ?? 'undefined'}`);
  }
  if (!isNumber(value2)) {
    return fail(`the value of ${String(op2)} must be a number`);
  }
  if (!(value < value2)) {
    return fail('the bottom of a numeric range must be less than its top');
  }
  return [first, { op: op2 as NumericOperator, value: value2 }];
}

/** Splits a wildcard into the literal segments around its `*`s, or returns why it is invalid. */
function parseWildcard(text: string): string[] | string {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '*') {
      if (text[i + 1] === '*') {
        return `consecutive wildcard characters at position ${i}`;
      }
      segments.push(current);
      current = '';
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') {
        return `invalid escape character at position ${i}`;
      }
      current += next;
      i++;
    } else {
      current += c;
    }
  }
  segments.push(current);
  return segments;
}

// ---------------------------------------------------------------------------------------------------------
// Matching

function matchObject(node: CompiledObject, value: unknown): boolean {
  const obj = isPlainObject(value) ? value : undefined;
  for (const field of node.fields) {
    const child = obj !== undefined && Object.hasOwn(obj, field.key) ? obj[field.key] : undefined;
    const ok = field.kind === 'leaf' ? matchLeaf(field.matchers, child) : matchSubObject(field.node, child);
    if (!ok) {
      return false;
    }
  }
  return node.ors.every((branches) => branches.some((branch) => matchObject(branch, value)));
}

/**
 * A pattern object against an event value. An array of objects is matched element by element so that
 * all conditions hold in the same element (ruler's `rulesForJSONEvent`); a sub-pattern of only
 * `exists: false` conditions holds when no element has the fields (as ruler checks absence across the
 * whole array when no other condition has picked an element).
 */
function matchSubObject(node: CompiledObject, value: unknown): boolean {
  if (!Array.isArray(value)) {
    return matchObject(node, value);
  }
  const elements = flatten(value).filter(isPlainObject);
  if (elements.length === 0) {
    return matchObject(node, undefined);
  }
  return node.absenceOnly
    ? elements.every((element) => matchObject(node, element))
    : elements.some((element) => matchObject(node, element));
}

function matchLeaf(matchers: readonly LeafMatcher[], value: unknown): boolean {
  const values = leafValues(value);
  return matchers.some((m) =>
    m.kind === 'exists' ? m.value === values.length > 0 : values.some((v) => matchScalar(m, v)),
  );
}

function matchScalar(m: Exclude<LeafMatcher, { kind: 'exists' }>, v: Scalar): boolean {
  switch (m.kind) {
    case 'equals':
      if (typeof m.value === 'string') {
        if (typeof v !== 'string') {
          return false;
        }
        if (v === m.value) {
          return true;
        }
        // ruler compiles an IP-looking string into an address range, so equal addresses match.
        const ip = m.ip === undefined ? undefined : parseIp(v);
        return ip !== undefined && m.ip !== undefined && compareBytes(ip, m.ip) === 0;
      }
      return v === m.value;
    case 'prefix':
      return (
        typeof v === 'string' &&
        (m.ignoreCase ? v.toLowerCase().startsWith(m.value.toLowerCase()) : v.startsWith(m.value))
      );
    case 'suffix':
      return (
        typeof v === 'string' && (m.ignoreCase ? v.toLowerCase().endsWith(m.value.toLowerCase()) : v.endsWith(m.value))
      );
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === m.value.toLowerCase();
    case 'wildcard':
      return typeof v === 'string' && wildcardMatches(m.segments, v);
    case 'anything-but':
      return !m.rejects(v);
    case 'numeric':
      return typeof v === 'number' && Number.isFinite(v) && m.conditions.every((c) => compareNumber(c, v));
    case 'cidr': {
      if (typeof v !== 'string') {
        return false;
      }
      const ip = parseIp(v);
      return (
        ip !== undefined && ip.length === m.min.length && compareBytes(ip, m.min) >= 0 && compareBytes(ip, m.max) <= 0
      );
    }
  }
}

function compareNumber(c: NumericCondition, v: number): boolean {
  switch (c.op) {
    case '=':
      return v === c.value;
    case '<':
      return v < c.value;
    case '<=':
      return v <= c.value;
    case '>':
      return v > c.value;
    case '>=':
      return v >= c.value;
  }
}

/** Whether `text` matches a wildcard split into literal segments (one `*` between each pair). */
function wildcardMatches(segments: readonly string[], text: string): boolean {
  const first = segments[0] ?? '';
  if (segments.length === 1) {
    return text === first;
  }
  const last = segments[segments.length - 1] ?? '';
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) {
    return false;
  }
  const end = text.length - last.length;
  let pos = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? '';
    const at = text.indexOf(segment, pos);
    if (at === -1 || at + segment.length > end) {
      return false;
    }
    pos = at + segment.length;
  }
  return true;
}

/** The scalar values at a leaf: none for a missing field, an object, or an array without scalars. */
function leafValues(value: unknown): Scalar[] {
  if (value === undefined) {
    return [];
  }
  if (Array.isArray(value)) {
    return flatten(value).filter(isScalar);
  }
  return isScalar(value) ? [value] : [];
}

function flatten(values: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (Array.isArray(v)) {
      out.push(...flatten(v));
    } else {
      out.push(v);
    }
  }
  return out;
}

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function where(path: string): string {
  return path === '' ? '' : `${path}: `;
}

// ---------------------------------------------------------------------------------------------------------
// IP addresses (ruler's CIDR.java: IPv4 dotted quads and IPv6 hex groups, no embedded IPv4)

const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** The bytes of an IPv4 (4) or IPv6 (16) address literal, or undefined if `text` is not one. */
function parseIp(text: string): number[] | undefined {
  if (IPV4.test(text)) {
    const octets = text.split('.').map(Number);
    return octets.every((o) => o <= 255) ? octets : undefined;
  }
  if (!IPV6.test(text)) {
    return undefined;
  }
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const groups = (half: string | undefined): string[] => (half === undefined || half === '' ? [] : half.split(':'));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (![...head, ...tail].every((g) => HEX_GROUP.test(g))) {
    return undefined;
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) {
    return undefined;
  }
  const words = [...head, ...Array<string>(missing).fill('0'), ...tail].map((g) => Number.parseInt(g, 16));
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function parseCidr(text: string): { min: number[]; max: number[] } | string {
  const parts = text.split('/');
  const [address, bits] = parts;
  if (parts.length !== 2 || address === undefined || bits === undefined) {
    return `malformed CIDR "${text}", one "/" required`;
  }
  if (!/^[0-9]+$/.test(bits)) {
    return `malformed CIDR "${text}", mask bits must be a non-negative integer`;
  }
  const ip = parseIp(address);
  if (ip === undefined) {
    return `invalid IP address "${address}"`;
  }
  const maskBits = Number(bits);
  // ruler (CIDR.cidr) accepts at most /31 for IPv4 and /127 for IPv6.
  if (maskBits > ip.length * 8 - 1) {
    return `${ip.length === 4 ? 'IPv4' : 'IPv6'} mask bits must be < ${ip.length * 8}`;
  }
  const min = ip.map((byte, i) => byte & maskByte(maskBits - i * 8));
  const max = ip.map((byte, i) => byte | (~maskByte(maskBits - i * 8) & 0xff));
  return { min, max };
}

/** The mask of one byte when `bits` leading bits (clamped to 0..8) are fixed. */
function maskByte(bits: number): number {
  const fixed = Math.max(0, Math.min(8, bits));
  return (0xff << (8 - fixed)) & 0xff;
}

function compareBytes(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) {
      return d;
    }
  }
  return a.length - b.length;
}
