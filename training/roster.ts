// A class roster: one identity per trainee (distinct `sub`, one chosen role, a short expiry
// and a `training` claim: gateway/auth/class-token.ts), each with a short sign-in code the
// trainee types on the page (or a link that carries it). The class is written as a JSON
// file under <data folder>/training/classes/, where the gateway's sign-in exchange reads
// it (gateway/graphiql/sign-in.ts). Tokens are signed with the development key, which
// production refuses; the `training` claim makes development refuse them too.
import { randomInt } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { issueDevToken, type DevTokenClaims } from '../gateway/auth/dev-key.ts';
import { isRole, ROLES } from '../gateway/auth/policy.ts';
import type { KeyFile } from '../subgraphs/shared/keys.ts';

/** Largest class by default (OBTS_TRAINING_MAX_CLASS overrides). */
export const DEFAULT_MAX_CLASS = 30;
/** Longest class, in hours: a class token is never a standing credential. */
export const MAX_HOURS = 12;

export interface RosterEntry { name: string; role: string }

export interface ClassRequest {
  trainer: string;
  /** Roles the class may switch among (also the roles handed out, in turn, with `size`). */
  roles: string[];
  hours: number;
  ori: string;
  /** Either a size (trainees named trainee-01…) or a roster. */
  size?: number;
  roster?: RosterEntry[];
  maxSize: number;
  issuer?: string;
  audience?: string;
}

export interface Trainee { sub: string; name: string; role: string; code: string; token: string }

export interface ClassFile {
  class: string;
  trainer: string;
  roles: string[];
  ori: string;
  issuedAt: string;
  expiresAt: string;
  trainees: Trainee[];
}

/** Every problem with a request, each saying what was expected (empty: fine). */
export function classProblems(request: ClassRequest): string[] {
  const problems: string[] = [];
  const known = Object.keys(ROLES).join(', ');
  if (!/^[\w.@-]{1,64}$/.test(request.trainer)) problems.push(`--trainer "${request.trainer}" is not a user id; expected letters, digits, . _ @ -, e.g. --trainer jdoe`);
  if (!request.roles.length) problems.push(`--roles is empty; expected a comma-separated list of OBTS roles: ${known}`);
  for (const role of request.roles) if (!isRole(role)) problems.push(`role "${role}" is not an OBTS role; expected one of ${known}`);
  for (const entry of request.roster ?? []) if (!isRole(entry.role)) problems.push(`roster: role "${entry.role}" of ${entry.name} is not an OBTS role; expected one of ${known}`);
  for (const entry of request.roster ?? []) if (isRole(entry.role) && request.roles.length && !request.roles.includes(entry.role)) problems.push(`roster: role "${entry.role}" of ${entry.name} is not one of the class roles (${request.roles.join(', ')})`);
  const size = request.roster?.length ?? request.size ?? 0;
  if (size < 1) problems.push('the class is empty; expected --size N (1 or more) or --roster FILE with one "name,role" a line');
  if (size > request.maxSize) problems.push(`a class of ${size} is larger than the configured maximum of ${request.maxSize} (OBTS_TRAINING_MAX_CLASS)`);
  if (!(request.hours > 0 && request.hours <= MAX_HOURS)) problems.push(`--hours ${request.hours} is not valid; expected a number of hours above 0 and at most ${MAX_HOURS}`);
  if (!/^[A-Z]{2}[0-9A-Z]{7}$/.test(request.ori)) problems.push(`--ori "${request.ori}" is not an ORI; expected two letters and seven characters, e.g. CT0064200`);
  const names = new Set<string>();
  for (const entry of request.roster ?? []) {
    if (names.has(slug(entry.name))) problems.push(`roster: ${entry.name} appears twice; every trainee needs an identity of their own`);
    names.add(slug(entry.name));
  }
  return problems;
}

/** Reads a roster file: one `name,role` a line; blank lines and `#` comments are skipped. */
export function parseRoster(text: string, file: string): RosterEntry[] {
  const entries: RosterEntry[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const [name, role, ...rest] = trimmed.split(',').map((part) => part.trim());
    if (!name || !role || rest.length) throw new Error(`${file}:${index + 1}: "${trimmed}" is not a roster line; expected "name,role", e.g. "Pat Lee,parole"`);
    entries.push({ name, role });
  });
  return entries;
}

// Sign-in codes: 8 characters without look-alikes (0/O, 1/I/L), grouped 4-4 to read aloud.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
function signInCode(): string {
  const chars = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'trainee';

/** Issues the class (checks first: call classProblems and refuse on any). */
export async function issueClass(keys: KeyFile, request: ClassRequest, now = new Date()): Promise<ClassFile> {
  const problems = classProblems(request);
  if (problems.length) throw new Error(problems.join('\n'));
  const id = `c${now.toISOString().slice(0, 10).replace(/-/g, '')}-${Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)].toLowerCase()).join('')}`;
  const entries = request.roster ?? Array.from({ length: request.size! }, (_, index) => ({
    name: `trainee-${String(index + 1).padStart(2, '0')}`, role: request.roles[index % request.roles.length],
  }));
  const ttlSeconds = Math.round(request.hours * 3600);
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + ttlSeconds * 1000);
  const trainees: Trainee[] = [];
  for (const entry of entries) {
    const sub = `${id}.${slug(entry.name)}`;
    const claims: DevTokenClaims = {
      user: sub, ori: request.ori, roles: [entry.role], purpose: 'C', ttlSeconds, issuedAt: now,
      // A trainee is certified for the class only: until it ends.
      certifiedUntil: expiresAt, issuer: request.issuer, audience: request.audience,
      training: { class: id, trainer: request.trainer, roles: request.roles, name: entry.name },
    };
    trainees.push({ sub, name: entry.name, role: entry.role, code: signInCode(), token: await issueDevToken(keys, claims) });
  }
  return { class: id, trainer: request.trainer, roles: request.roles, ori: request.ori, issuedAt: now.toISOString(), expiresAt: expiresAt.toISOString(), trainees };
}

export const classesDir = (dataDir: string) => path.join(dataDir, 'training', 'classes');

/** Writes the class where the gateway's sign-in finds it (mode 0600: it holds tokens). */
export function writeClassFile(dataDir: string, file: ClassFile): string {
  mkdirSync(classesDir(dataDir), { recursive: true, mode: 0o700 });
  const target = path.join(classesDir(dataDir), `${file.class}.json`);
  writeFileSync(target, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  return target;
}

/** Looks a sign-in code up among the classes: the token, or why not. */
export function redeemCode(dataDir: string, code: string, now = new Date()): { ok: true; token: string; trainee: Trainee } | { ok: false; status: 400 | 404 | 410; message: string } {
  const normalized = code.trim().toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (!/^[A-Z0-9]{8}$/.test(normalized)) return { ok: false, status: 400, message: `Sign-in code "${code.slice(0, 20)}" is not a code; expected 8 letters and digits as printed on the class sheet, e.g. K7QF-M2XD` };
  const wanted = `${normalized.slice(0, 4)}-${normalized.slice(4)}`;
  let files: string[] = [];
  try {
    files = readdirSync(classesDir(dataDir)).filter((name) => name.endsWith('.json'));
  } catch {
    // no class issued on this gateway yet
  }
  for (const name of files) {
    const file = JSON.parse(readFileSync(path.join(classesDir(dataDir), name), 'utf8')) as ClassFile;
    const trainee = file.trainees.find((entry) => entry.code === wanted);
    if (!trainee) continue;
    if (new Date(file.expiresAt) <= now) return { ok: false, status: 410, message: `Sign-in code ${wanted} belongs to class "${file.class}", which ended at ${file.expiresAt}; ask trainer ${file.trainer} for a new one` };
    return { ok: true, token: trainee.token, trainee };
  }
  return { ok: false, status: 404, message: `Sign-in code ${wanted} is not one of the classes on this gateway; check it against the class sheet (codes look like K7QF-M2XD)` };
}

/** The sheet a trainer prints: one line per trainee with role, code and sign-in link. */
export function classSheet(file: ClassFile, baseUrl: string): string {
  const lines = [
    `OBTS training class ${file.class} — trainer ${file.trainer}, ORI ${file.ori}`,
    `Roles: ${file.roles.join(', ')}. Sign-in works until ${file.expiresAt} and only on a gateway in training mode (synthetic data).`,
    `Open ${baseUrl}/graphiql and type your code, or open your link.`,
    '',
    `${'Trainee'.padEnd(24)} ${'Role'.padEnd(16)} ${'Code'.padEnd(10)} Link`,
  ];
  for (const trainee of file.trainees) lines.push(`${trainee.name.padEnd(24)} ${trainee.role.padEnd(16)} ${trainee.code.padEnd(10)} ${baseUrl}/graphiql?code=${trainee.code}`);
  return lines.join('\n');
}
