// Signed checkpoints: the audit chain anchored outside the log (CJIS AU-9 protection of
// audit information, AU-10 non-repudiation). A hash chain alone proves nothing against
// someone who can rewrite the whole file and recompute every hash; a checkpoint states
// "record <seq> had hash <hash> at <time>", signed with an Ed25519 key that is not kept
// with the log, in a store that is not the log. Writers sign one at start, at least every
// N records and every minute while records arrive, and at close; retention signs what it
// pruned and why. `npm run audit -- verify` checks the log against them (verify.ts).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson, GENESIS_HASH } from './record.ts';
import { writeOnce } from '../../subgraphs/shared/keys.ts';

/** start: a writer opened the log; periodic: every N records / every minute; close: a writer stopped cleanly; prune: retention removed records. */
export type CheckpointKind = 'start' | 'periodic' | 'close' | 'prune';

/** What retention removed, and why (AU-11), signed like every checkpoint. */
export interface PruneStatement {
  /** Records dated before this were removed. */
  before: string;
  retentionDays: number;
  /** The removed range, and the hash of its last record (the next record's prevHash). */
  fromSeq: number;
  toSeq: number;
  lastHash: string;
  count: number;
  reason: string;
  user: string;
}

export interface Checkpoint {
  kind: CheckpointKind;
  /** Place in the checkpoint chain (1, 2, …) and the digest of the checkpoint before. */
  n: number;
  prev: string;
  /** The log's head when signed: its last record's seq and hash (0 and the genesis hash when empty). */
  seq: number;
  hash: string;
  time: string;
  /** host/pid of the signing writer. */
  writer: string;
  keyId: string;
  prune?: PruneStatement;
  /** Ed25519 over the canonical JSON of every other field, base64url. */
  signature: string;
}

export type UnsignedCheckpoint = Omit<Checkpoint, 'n' | 'prev' | 'keyId' | 'signature' | 'writer' | 'time'> & { time?: string };

/** The key that signs checkpoints, and the public key verify trusts. */
export interface CheckpointKey {
  keyId: string;
  publicPem: string;
  sign(data: string): string;
}

/** Where checkpoints are kept (a second file, or a table in a second database). */
export interface CheckpointStore {
  /** Numbers, links, signs and durably stores one checkpoint after the newest one. */
  append(checkpoint: UnsignedCheckpoint): Promise<Checkpoint>;
  readAll(): Promise<Checkpoint[]>;
  describe: string;
  close(): Promise<void>;
}

/** The digest the next checkpoint carries as `prev`. */
export function checkpointDigest(checkpoint: Checkpoint): string {
  return createHash('sha256').update(canonicalJson(checkpoint)).digest('hex');
}

/** Fills in the chain fields and signs. */
export function signCheckpoint(key: CheckpointKey, fields: UnsignedCheckpoint, previous: Checkpoint | null): Checkpoint {
  const unsigned = {
    ...fields, time: fields.time ?? new Date().toISOString(), n: (previous?.n ?? 0) + 1, prev: previous ? checkpointDigest(previous) : GENESIS_HASH,
    writer: `${os.hostname()}/${process.pid}`, keyId: key.keyId,
  };
  return { ...unsigned, signature: key.sign(canonicalJson(unsigned)) };
}

/** True when `checkpoint` is signed by `publicPem`. */
export function signatureValid(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  const { signature, ...rest } = checkpoint;
  try {
    return verify(null, Buffer.from(canonicalJson(rest)), publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

export function isCheckpoint(value: unknown): value is Checkpoint {
  const candidate = value as Checkpoint | null;
  return Boolean(candidate && typeof candidate === 'object' && typeof candidate.n === 'number' && typeof candidate.seq === 'number' && typeof candidate.signature === 'string');
}

/** The public key file written beside the private one (what verifiers are given). */
export function publicKeyFile(privateFile: string): string {
  return privateFile.replace(/(\.pem)?$/, '.pub.pem');
}

/**
 * Loads the Ed25519 checkpoint key (PKCS#8 PEM, mode 0600), creating it on first use with
 * an atomic link so concurrent starts agree on one key. Also writes its public half.
 */
export function loadCheckpointKey(file: string): CheckpointKey {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeOnce(file, String(privateKey.export({ type: 'pkcs8', format: 'pem' })));
  }
  const privateKey = createPrivateKey(readFileSync(file));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: the audit checkpoint key must be an Ed25519 private key (PKCS#8 PEM)`);
  const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  try {
    if (!existsSync(publicKeyFile(file))) writeFileSync(publicKeyFile(file), publicPem, { mode: 0o644 });
  } catch {
    // a read-only key folder: give verifiers the public key another way (AUDIT_CHECKPOINT_PUBLIC_KEY)
  }
  return { keyId: keyIdOf(publicPem), publicPem, sign: (data) => sign(null, Buffer.from(data), privateKey).toString('base64url') };
}

/** The public key verify trusts: a PEM file given to the auditor (never the log's own say-so). */
export function loadTrustedPublicKey(file: string): { keyId: string; key: KeyObject } {
  const pem = readFileSync(file, 'utf8');
  return { keyId: keyIdOf(pem), key: createPublicKey(pem) };
}

function keyIdOf(publicPem: string): string {
  return createHash('sha256').update(createPublicKey(publicPem).export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}
