// The command line of every npm script: `--help` prints what the command does, its
// options and an example, and writes nothing; an unknown option or a missing value is
// one line on stderr and exit code 2, never a stack trace. Built on node:util parseArgs
// (strict), so each script only declares its options.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One option of a command: its parseArgs shape plus the line `--help` prints for it. */
export interface CliOption {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** What `--help` says about it, e.g. "how many offenders to generate (default 10000)". */
  help: string;
  /** Placeholder shown after a string option in `--help`, e.g. "N" or "YYYY-MM-DD". */
  value?: string;
}

/** What a command is, for `--help`. */
export interface CliSpec<O extends Record<string, CliOption>> {
  /** The npm script, e.g. "seed" (shown as `npm run seed -- …`). */
  command: string;
  /** One or two sentences: what it does. */
  summary: string;
  /** Positional arguments in the usage line, e.g. "<verify|who-viewed SID|prune>". */
  positionals?: string;
  options: O;
  /** Example invocations, shown under "Examples". */
  examples: string[];
  /** Lines printed after the options (settings read from the environment, notes). */
  notes?: string[];
}

type Values<O extends Record<string, CliOption>> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string;
};

/** Thrown for a bad command line; `runCli`'s callers print `message` and exit 2. */
export class UsageError extends Error {}

/** The `--help` text of a command. */
export function helpText<O extends Record<string, CliOption>>(spec: CliSpec<O>): string {
  const invocation = spec.command === 'start' || spec.command === 'test' ? `npm ${spec.command}` : `npm run ${spec.command}`;
  const lines = [`${invocation} -- ${spec.positionals ? `${spec.positionals} ` : ''}[options]`, '', spec.summary, '', 'Options:'];
  const rows = Object.entries(spec.options).map(([name, option]) => [
    `  ${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}${option.multiple ? ' (repeatable)' : ''}`,
    option.help,
  ]);
  rows.push(['  -h, --help', 'show this help and exit']);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  for (const [left, right] of rows) lines.push(left.padEnd(width) + right);
  if (spec.notes?.length) lines.push('', ...spec.notes);
  lines.push('', 'Examples:', ...spec.examples.map((example) => `  ${example}`));
  return lines.join('\n');
}

/**
 * Parses argv against the spec. Returns null after printing help (the caller exits 0);
 * throws UsageError naming the option and what was expected.
 */
export function parseCommandLine<O extends Record<string, CliOption>>(spec: CliSpec<O>, argv: string[] = process.argv.slice(2)): { values: Values<O>; positionals: string[] } | null {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, option] of Object.entries(spec.options)) {
    options[name] = { type: option.type, ...(option.multiple ? { multiple: true } : {}), ...(option.short ? { short: option.short } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: Boolean(spec.positionals) });
  } catch (error) {
    throw new UsageError(`${usageProblem(error as Error & { code?: string })}; see \`npm run ${spec.command} -- --help\``);
  }
  if (parsed.values.help) {
    console.log(helpText(spec));
    return null;
  }
  const { help: _help, ...values } = parsed.values;
  return { values: values as Values<O>, positionals: parsed.positionals };
}

/**
 * The usual frame of a script: parse, run, and turn a UsageError (or any Error whose
 * message is meant for the user) into one line on stderr and exit code 2.
 */
export async function runCli<O extends Record<string, CliOption>>(spec: CliSpec<O>, main: (values: Values<O>, positionals: string[]) => Promise<number | void>): Promise<void> {
  let parsed;
  try {
    parsed = parseCommandLine(spec);
  } catch (error) {
    console.error(`${spec.command}: ${(error as Error).message}`);
    process.exit(2);
  }
  if (!parsed) process.exit(0);
  try {
    const code = await main(parsed.values, parsed.positionals);
    if (typeof code === 'number') process.exitCode = code;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${spec.command}: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

// Private: parseArgs' own messages are long and mention internals; say it in one line.
function usageProblem(error: Error & { code?: string }): string {
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': return `unknown option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': return `option ${option ?? ''} ${/argument missing/.test(error.message) ? 'needs a value' : 'takes no value'}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': return `unexpected argument ${/'([^']+)'/.exec(error.message)?.[1] ?? ''}`.trim();
    default: return error.message.split('\n')[0];
  }
}

/** A whole number option within [min, max], or a UsageError naming the option. */
export function wholeNumber(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} "${value}" is not valid; expected a whole number from ${min} to ${max}`);
  }
  return n;
}

/** Declares a command (keeps each option's literal type, so parsed values are typed). */
export function defineCli<const O extends Record<string, CliOption>>(spec: CliSpec<O>): CliSpec<O> {
  return spec;
}
