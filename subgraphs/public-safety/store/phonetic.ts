// Phonetic codes MNI stores beside each name at write time, so a "sounds like" search is
// an indexed equality match instead of a function applied to every row. No phonetic
// package is installed in this project, so American Soundex is implemented here.
//
// American Soundex (as the U.S. National Archives codes surnames): keep the first letter,
// code the rest by sound group, drop vowels (and Y, H, W), collapse runs of one code,
// and pad or cut to four characters. Two rules make it "American": letters with the same
// code separated only by H or W are coded once (ASHCRAFT → A261), and the first letter's
// own code counts as the first of a run (PFISTER → P236).

const CODES: Record<string, string> = {
  B: '1', F: '1', P: '1', V: '1',
  C: '2', G: '2', J: '2', K: '2', Q: '2', S: '2', X: '2', Z: '2',
  D: '3', T: '3',
  L: '4',
  M: '5', N: '5',
  R: '6',
};

/** Soundex code of a name (`R163` for ROBERT and RUPERT); '' when it has no letters. */
export function soundex(name: string): string {
  const letters = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
  if (!letters) return '';
  let code = letters[0];
  let previous = CODES[letters[0]] ?? '';
  for (const letter of letters.slice(1)) {
    if (code.length === 4) break;
    const digit = CODES[letter];
    if (digit) {
      if (digit !== previous) code += digit;
      previous = digit;
    } else if (letter !== 'H' && letter !== 'W') {
      previous = ''; // a vowel (or Y) separates two letters of the same group
    }
  }
  return code.padEnd(4, '0');
}
