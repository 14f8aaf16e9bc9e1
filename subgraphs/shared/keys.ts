// Signing key files: one key pair per file, as JSON `{ note, privateJwk, publicJwks }`.
// Two keys use this: the development identity provider's (ES256, gateway/auth/dev-key.ts)
// and the gateway's subgraph-signing key (Ed25519, subgraphs/shared/trust.ts: one signature
// per subgraph call, so the fast one). Created on first use under the data folder
// (git-ignored) with mode 0600; production deployments set explicit files. Keys are
// imported once per process into node:crypto KeyObjects, which jose signs and verifies
// with directly (no WebCrypto round trip per call).
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';

/** The development identity provider's algorithm (user tokens, as an IdP would sign them). */
export const SIGNING_ALG = 'ES256';
/** JWS algorithms a key file may hold: ES256 (P-256) or EdDSA (Ed25519). */
export type KeyAlgorithm = 'ES256' | 'EdDSA';

/** A key pair as stored: the private JWK (with kid) and the public key set others verify with. */
export interface KeyFile {
  note: string;
  privateJwk: JWK;
  publicJwks: JSONWebKeySet;
}

/** A loaded signing key: what SignJWT needs. */
export interface SigningKey {
  kid: string;
  /** The JWS algorithm of the key (the `alg` of its JWK). */
  alg: KeyAlgorithm;
  privateKey: KeyObject;
  publicJwks: JSONWebKeySet;
}

/**
 * Reads the key pair in `file`, creating it first when it does not exist. Creation is
 * atomic (write a temporary file, then hard-link it into place): when several processes
 * start at once (npm start), exactly one key wins and every process reads that one.
 */
export async function loadOrCreateKeyFile(file: string, kidPrefix: string, note: string, alg: KeyAlgorithm = SIGNING_ALG): Promise<KeyFile> {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = `${kidPrefix}${(await calculateJwkThumbprint(publicJwk)).slice(0, 16)}`;
    const content: KeyFile = {
      note,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' },
      publicJwks: { keys: [{ ...publicJwk, kid, alg, use: 'sig' }] },
    };
    writeOnce(file, JSON.stringify(content, null, 2) + '\n');
  }
  const keys = readKeyFile(file);
  // The public half on its own, for processes that only verify (subgraphs): they never
  // need to open the file that holds the private key.
  const publicFile = publicJwksFile(file);
  try {
    if (!existsSync(publicFile)) writeFileSync(publicFile, JSON.stringify(keys.publicJwks, null, 2) + '\n', { mode: 0o644 });
  } catch {
    // A read-only key folder (a mounted secret): subgraphs then use OBTS_GATEWAY_JWKS_FILE or _URL.
  }
  return keys;
}

/** The public key set written beside a key file: `gateway-signing.json` → `gateway-signing.jwks.json`. */
export function publicJwksFile(keyFile: string): string {
  return keyFile.replace(/(\.json)?$/, '.jwks.json');
}

/** Reads a key pair file; the error names the file and the expected shape. */
export function readKeyFile(file: string): KeyFile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeyFile>;
  if (!parsed.privateJwk?.kid || !Array.isArray(parsed.publicJwks?.keys)) {
    throw new Error(`${file} is not a key file; expected {"privateJwk": {…, "kid"}, "publicJwks": {"keys": […]}}`);
  }
  return parsed as KeyFile;
}

/** Imports the private half for signing (once: keep the result). Files without `alg` are ES256 (older files). */
export async function signingKey(keys: KeyFile): Promise<SigningKey> {
  const alg: KeyAlgorithm = keys.privateJwk.alg === 'EdDSA' ? 'EdDSA' : 'ES256';
  const privateKey = createPrivateKey({ key: keys.privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  return { kid: keys.privateJwk.kid!, alg, privateKey, publicJwks: keys.publicJwks };
}

/** Reads a public key set file (`{"keys": […]}`), or a key file's public half. */
export function readJwksFile(file: string): JSONWebKeySet {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown; publicJwks?: JSONWebKeySet };
  const set = Array.isArray(parsed.keys) ? (parsed as JSONWebKeySet) : parsed.publicJwks;
  if (!set || !Array.isArray(set.keys)) throw new Error(`${file} is not a JSON Web Key Set; expected {"keys": [...]}`);
  return set;
}

/**
 * Writes `content` to `file` (mode 0600) unless it exists, atomically: a temporary file
 * linked into place, so two processes starting at once agree on the first one written.
 */
export function writeOnce(file: string, content: string): void {
  const temporary = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}
