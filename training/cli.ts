// npm run training -- class --trainer <id> --size N --roles law-enforcement,parole [--hours 4]
//                           [--roster FILE] [--ori CT0000000] [--url http://127.0.0.1:4000]
// npm run training -- lessons      (checks training/lessons/*.graphql against the schema)
// Issues a class (training/roster.ts) and prints the sheet of sign-in codes and links.
// Refused in production mode: class tokens are signed with the development key.
import '../gateway/telemetry-off.ts';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dataDir } from '../schema/subgraphs.ts';
import { loadDevKey } from '../gateway/auth/dev-key.ts';
import { classSheet, DEFAULT_MAX_CLASS, issueClass, MAX_HOURS, parseRoster, writeClassFile, classProblems, type ClassRequest } from './roster.ts';
import { loadLessons } from './lessons.ts';
import { readSupergraph } from '../gateway/server.ts';

const HELP = `Usage: npm run training -- <command> [options]

Commands:
  class     issue one identity per trainee and print the sign-in sheet
  lessons   check every training/lessons/*.graphql against the schema

class options:
  --trainer <id>      your user id (required), e.g. jdoe
  --roles <a,b,…>     roles the class may switch among (required), e.g. law-enforcement,parole,victim-services
  --size <N>          number of trainees (named trainee-01…; roles handed out in turn)
  --roster <FILE>     instead of --size: one "name,role" a line
  --hours <H>         how long the sign-ins work (default 4, at most ${MAX_HOURS})
  --ori <ORI>         the trainees' agency ORI (default CT0000000)
  --url <URL>         the gateway as trainees reach it (default http://127.0.0.1:$GATEWAY_PORT or :4000)
  --help              this text

The class size is limited by OBTS_TRAINING_MAX_CLASS (default ${DEFAULT_MAX_CLASS}).
Class tokens work only on a gateway started with OBTS_MODE=training.

Example:
  npm run training -- class --trainer jdoe --size 12 --roles law-enforcement,parole,victim-services --hours 4`;

const fail = (message: string): never => {
  console.error(message.split('\n').map((line) => `training: ${line}`).join('\n'));
  process.exit(2);
};

const [command, ...rest] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h' || command === 'help') {
  console.log(HELP);
  process.exit(command ? 0 : 2);
}

if (command === 'lessons') {
  const { lessons, problems } = loadLessons(readSupergraph());
  for (const lesson of lessons) console.log(`ok   ${lesson.file}  ${lesson.title} (for ${lesson.role})`);
  for (const problem of problems) console.error(`FAIL ${problem}`);
  process.exit(problems.length ? 1 : 0);
}
if (command !== 'class') fail(`unknown command "${command}"; expected class or lessons (npm run training -- --help)`);
if (process.env.OBTS_MODE === 'production') fail('class tokens are refused in production mode; run the class on a training gateway (OBTS_MODE=training)');

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    args: rest,
    options: {
      trainer: { type: 'string' }, roles: { type: 'string' }, size: { type: 'string' }, roster: { type: 'string' },
      hours: { type: 'string', default: '4' }, ori: { type: 'string', default: 'CT0000000' }, url: { type: 'string' }, help: { type: 'boolean' },
    },
    strict: true,
  }));
} catch (error) {
  fail(`${(error as Error).message.split('\n')[0]} (npm run training -- --help lists the options)`);
}
if (values!.help) {
  console.log(HELP);
  process.exit(0);
}
if (!values!.trainer) fail('--trainer is required, e.g. --trainer jdoe');
if (!values!.roles) fail('--roles is required, e.g. --roles law-enforcement,parole');
if (values!.size && values!.roster) fail('give --size or --roster, not both');
const size = values!.size === undefined ? undefined : Number(values!.size);
if (size !== undefined && !Number.isInteger(size)) fail(`--size "${values!.size}" is not valid; expected a whole number of trainees`);
const maxSize = Number(process.env.OBTS_TRAINING_MAX_CLASS ?? DEFAULT_MAX_CLASS);
if (!Number.isInteger(maxSize) || maxSize < 1) fail(`OBTS_TRAINING_MAX_CLASS "${process.env.OBTS_TRAINING_MAX_CLASS}" is not valid; expected a whole number from 1`);
let roster;
if (values!.roster) {
  let text = '';
  try {
    text = readFileSync(String(values!.roster), 'utf8');
  } catch {
    fail(`--roster ${values!.roster}: the file cannot be read; expected a text file with one "name,role" a line`);
  }
  try {
    roster = parseRoster(text, String(values!.roster));
  } catch (error) {
    fail((error as Error).message);
  }
}
const request: ClassRequest = {
  trainer: String(values!.trainer), roles: String(values!.roles).split(',').map((role) => role.trim()).filter(Boolean),
  hours: Number(values!.hours), ori: String(values!.ori), size, roster, maxSize,
  issuer: process.env.OBTS_AUTH_ISSUER || undefined, audience: process.env.OBTS_AUTH_AUDIENCE || undefined,
};
const problems = classProblems(request);
if (problems.length) fail(problems.join('\n'));
const folder = dataDir();
const file = await issueClass(await loadDevKey(folder), request);
const written = writeClassFile(folder, file);
const baseUrl = String(values!.url ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 4000}`).replace(/\/+$/, '');
console.log(classSheet(file, baseUrl));
console.error(`\nclass written to ${written} (the gateway's sign-in reads it; delete it to end the class early)`);
