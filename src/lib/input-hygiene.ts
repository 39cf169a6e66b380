// Input no field accepts, refused for every operation before a resolver sees it: text holding U+0000. PostgreSQL
// cannot store it (the insert fails deep inside with "invalid byte sequence"); SQLite stores it and C code reading
// the value back stops at it. Applied to every resolver class with @UseMiddleware(mapErrors, rejectNulCharacters),
// inside mapErrors (which codes its error), so HTTP and WebSocket operations are checked alike.
import type { MiddlewareFn } from 'type-graphql';
import { BadUserInputError } from './errors';

const NUL = '\u0000';

/**
 * The path of the first string or object key holding U+0000 in an argument's value, or null. Walks without
 * recursion: a JSON argument may nest arbitrarily deep.
 */
export function findNulCharacter(value: unknown, path: string): string | null {
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length > 0) {
    const [current, at] = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes(NUL)) return at;
      continue;
    }
    if (current === null || typeof current !== 'object' || current instanceof Date) continue;
    for (const [key, child] of Object.entries(current)) {
      if (key.includes(NUL)) return at;
      pending.push([child, `${at}.${key}`]);
    }
  }
  return null;
}

export const rejectNulCharacters: MiddlewareFn = ({ args }, next) => {
  for (const [name, value] of Object.entries(args)) {
    const field = findNulCharacter(value, name);
    if (field) throw new BadUserInputError('must not contain NUL characters (U+0000)', field);
  }
  return next();
};
