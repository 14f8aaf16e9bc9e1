// Reading a process's settings from its environment: one rule for every service, so a bad
// value is refused at start with the same words wherever it is set.

/** A whole-number setting within bounds; unset or empty gives `fallback`; anything else is a clear error naming the variable and what it takes. */
export function wholeSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} "${raw}" is not valid; expected a whole number from ${min} to ${max}`);
  return value;
}
