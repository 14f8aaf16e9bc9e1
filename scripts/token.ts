// npm run token -- --user jsmith --ori CT0064200 --role law-enforcement [--role …]
//                  [--certified-until 2027-06-30] [--purpose C] [--ttl 8h]
// Prints a user token signed with the development key (gateway/auth/dev-key.ts), for
// developers, trainers and tests. Refused when OBTS_MODE=production: real tokens come from
// the agency identity provider after CUAR approval and certification.
import { issueDevToken, loadDevKey } from '../gateway/auth/dev-key.ts';
import { isRole, ROLES } from '../gateway/auth/policy.ts';
import { isPurposeCode, PURPOSE_CODES } from '../subgraphs/shared/identity.ts';
import { dataDir } from '../schema/subgraphs.ts';
import { parseCommandLine, UsageError, defineCli } from './cli.ts';

const fail = (message: string): never => {
  console.error(`token: ${message}`);
  process.exit(2);
};

if (process.env.OBTS_MODE === 'production') fail('the development key is refused in production mode; tokens come from the identity provider');
const spec = defineCli({
  command: 'token',
  summary: 'Prints a user token signed with the development key, for developers, trainers and tests. Refused in production: real tokens come from the identity provider.',
  options: {
    user: { type: 'string', value: 'ID', help: 'user id (the token\'s sub), required' },
    ori: { type: 'string', value: 'ORI', help: "the user's agency ORI, required, e.g. CT0064200" },
    role: { type: 'string', multiple: true, value: 'ROLE', help: `role, required: ${Object.keys(ROLES).join(', ')}` },
    'certified-until': { type: 'string', value: 'YYYY-MM-DD', help: 'end of the OBTS certification (default: a year from now)' },
    purpose: { type: 'string', value: 'CODE', help: `CJIS purpose code: ${Object.keys(PURPOSE_CODES).join(', ')} (default: sent per request in x-obts-purpose)` },
    ttl: { type: 'string', value: 'DURATION', help: 'token lifetime: 900, 15m, 8h or 1d (default 8h)' },
  },
  examples: ['npm run -s token -- --user jsmith --ori CT0064200 --role law-enforcement --purpose C', 'TOKEN=$(npm run -s token -- --user trainer1 --ori CT0006400 --role analyst)'],
});
let parsed;
try {
  parsed = parseCommandLine(spec);
} catch (error) {
  fail((error as UsageError).message);
}
if (!parsed) process.exit(0);
const values = { ttl: '8h', ...parsed.values };
if (!values.user) fail('--user is required, e.g. --user jsmith');
if (!values.ori || !/^[A-Z]{2}[0-9A-Z]{7}$/.test(values.ori)) fail(`--ori ${values.ori ?? '(missing)'}: expected an ORI, e.g. CT0064200`);
const roles = values.role ?? [];
if (!roles.length) fail(`--role is required; one of ${Object.keys(ROLES).join(', ')}`);
// Unknown roles are allowed through on purpose: tests and trainers show the gateway's 403.
for (const role of roles) if (!isRole(role)) console.error(`token: warning: "${role}" is not an OBTS role; the gateway will refuse it`);
if (values.purpose !== undefined && !isPurposeCode(values.purpose)) console.error(`token: warning: purpose "${values.purpose}" is not one of ${Object.keys(PURPOSE_CODES).join(', ')}`);
const certifiedUntil = values['certified-until'] ? new Date(`${values['certified-until']}T23:59:59Z`) : new Date(Date.now() + 365 * 86_400_000);
if (Number.isNaN(certifiedUntil.getTime())) fail(`--certified-until ${values['certified-until']}: expected a date, YYYY-MM-DD`);
const ttl = /^(\d+)([smhd]?)$/.exec(values.ttl!);
if (!ttl) fail(`--ttl ${values.ttl}: expected a duration like 900, 15m, 8h or 1d`);
const ttlSeconds = Number(ttl![1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86_400 } as Record<string, number>)[ttl![2]];

const token = await issueDevToken(await loadDevKey(dataDir()), {
  user: values.user!, ori: values.ori!, roles, certifiedUntil, ttlSeconds,
  purpose: values.purpose as keyof typeof PURPOSE_CODES | undefined,
  issuer: process.env.OBTS_AUTH_ISSUER || undefined, audience: process.env.OBTS_AUTH_AUDIENCE || undefined,
});
console.log(token);
