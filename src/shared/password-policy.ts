// Password policy after NIST SP 800-63B §3.1.1.2: a minimum length (the zod schema) and no
// composition rules, but a password must not be one that attackers try early: common or breached
// passwords, repeated or sequential characters, keyboard walks, or words from the context (the
// user's own name, this product, the police). zxcvbn-ts does that matching, against its maintained
// list of common passwords, and estimates how many guesses the password would take.
import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { AppError } from '../errors.js';

/** Words anyone attacking this deployment would try first. */
const PRODUCT_WORDS = ['bwv', 'bwv-fleet', 'bwvfleet', 'fleet', 'police', 'bodyworn', 'body-worn', 'camera'];

/**
 * At least 10^9 guesses by zxcvbn's estimate: out of reach of online guessing under the login
 * throttle, and costly offline against scrypt. Rejects e.g. `Summer2024!!` and `police-station`;
 * a random 12 characters or a few unusual words pass.
 */
const MIN_GUESSES_LOG10 = 9;

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, userInputs: PRODUCT_WORDS },
  graphs: common.adjacencyGraphs,
});

/** Why zxcvbn found it guessable, in words an admin can act on. */
const REASONS: Record<string, string> = {
  simpleRepeat: 'repeats characters',
  extendedRepeat: 'repeats a pattern',
  sequences: 'is a sequence such as abcd or 1234',
  straightRow: 'is a row of keys on the keyboard',
  keyPattern: 'is a keyboard pattern',
  recentYears: 'leans on a recent year',
  dates: 'leans on a date',
  topTen: 'is a very common password',
  topHundred: 'is a very common password',
  common: 'is a common password',
  similarToCommon: 'is a common password with small changes',
  pwned: 'is a common password',
  wordByItself: 'is a single common word',
  namesByThemselves: 'is a name',
  commonNames: 'is a common name',
  userInputs: "contains the username, the user's name or this product's name",
};

function reasonOf(result: ZxcvbnResult): string {
  const warning = result.feedback.warning;
  if (warning && REASONS[warning]) return REASONS[warning];
  const usesContext = result.sequence.some(
    (m) => m.pattern === 'dictionary' && 'dictionaryName' in m && m.dictionaryName === 'userInputs',
  );
  return usesContext ? REASONS.userInputs! : 'is made of words or patterns that are guessed early';
}

/** Why this password is too weak for this user, or null if it will do. */
export function passwordWeakness(
  password: string,
  user: { username: string; displayName?: string | undefined },
): string | null {
  const context = [user.username, ...user.username.split(/[._-]+/)];
  if (user.displayName) context.push(user.displayName, ...user.displayName.split(/\s+/));
  const words = context.filter((w) => w.length >= 3);
  if (mostlyContext(password, [...words, ...PRODUCT_WORDS])) return REASONS.userInputs!;
  const result = zxcvbn.check(password, words);
  return result.guessesLog10 >= MIN_GUESSES_LOG10 ? null : reasonOf(result);
}

/**
 * zxcvbn scores several context words strung together (`john.smith.police`) as if they were rare;
 * with those words taken out, fewer than 6 letters or digits left means the context is the password.
 */
function mostlyContext(password: string, words: string[]) {
  let rest = password.toLowerCase();
  for (const w of [...words].sort((a, b) => b.length - a.length)) rest = rest.split(w.toLowerCase()).join('');
  return rest !== password.toLowerCase() && rest.replace(/[^\p{L}\p{N}]/gu, '').length < 6;
}

/** 422 `password-too-weak` naming the reason. */
export function assertStrongPassword(
  password: string,
  user: { username: string; displayName?: string | undefined },
  /** The field the password came in, for the problem's `errors`. */
  path = 'body.password',
) {
  const weakness = passwordWeakness(password, user);
  if (!weakness) return;
  throw new AppError(
    'password-too-weak',
    `The password ${weakness}; choose a longer or less predictable one`,
    [{ path, message: weakness }],
  );
}
