// Signing key files: one ES256 key pair per file, as JSON `{ note, privateJwk, publicJwks }`.
// Two keys use this: the development identity provider's (gateway/auth/dev-key.ts) and the
// gateway's subgraph-signing key (subgraphs/shared/trust.ts). Created on first use under
// the data folder (git-ignored) with mode 0600; production deployments set explicit files.
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';

export const SIGNING_ALG = 'ES256';

/** A key pair as stored: the private JWK (with kid) and the public key set others verify with. */
export interface KeyFile {
  note: string;
  privateJwk: JWK;
  publicJwks: JSONWebKeySet;
}

/** A loaded signing key: what SignJWT needs. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwks: JSONWebKeySet;
}

/**
 * Reads the key pair in `file`, creating it first when it does not exist. Creation is
 * atomic (write a temporary file, then hard-link it into place): when several processes
 * start at once (npm start), exactly one key wins and every process reads that one.
 */
export async function loadOrCreateKeyFile(file: string, kidPrefix: string, note: string): Promise<KeyFile> {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = `${kidPrefix}${(await calculateJwkThumbprint(publicJwk)).slice(0, 16)}`;
    const content: KeyFile = {
      note,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: 'sig' },
      publicJwks: { keys: [{ ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' }] },
    };
    const temporary = `${file}.${randomUUID()}.tmp`;
    writeFileSync(temporary, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
    try {
      linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temporary, { force: true });
    }
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

/** Imports the private half for signing. */
export async function signingKey(keys: KeyFile): Promise<SigningKey> {
  const privateKey = (await importJWK(keys.privateJwk, SIGNING_ALG)) as CryptoKey;
  return { kid: keys.privateJwk.kid!, privateKey, publicJwks: keys.publicJwks };
}

/** Reads a public key set file (`{"keys": […]}`), or a key file's public half. */
export function readJwksFile(file: string): JSONWebKeySet {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown; publicJwks?: JSONWebKeySet };
  const set = Array.isArray(parsed.keys) ? (parsed as JSONWebKeySet) : parsed.publicJwks;
  if (!set || !Array.isArray(set.keys)) throw new Error(`${file} is not a JSON Web Key Set; expected {"keys": [...]}`);
  return set;
}
