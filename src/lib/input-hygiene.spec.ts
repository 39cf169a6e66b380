// findNulCharacter: U+0000 anywhere in an argument (strings, keys, lists, deep JSON) is found and named by path.
import { findNulCharacter, rejectNulCharacters } from './input-hygiene';
import { BadUserInputError } from './errors';

describe('findNulCharacter', () => {
  it('finds nothing in ordinary input, dates, numbers and empty values', () => {
    const input = { name: 'web', tags: ['a', 'ünïcode 🔑'], at: new Date(), n: 3, none: null, empty: {} };
    expect(findNulCharacter(input, 'input')).toBeNull();
  });

  it.each([
    ['a string', 'a\u0000b', 'name'],
    ['an object field', { room: 'x\u0000' }, 'name.room'],
    ['a list item', ['ok', '\u0000'], 'name.1'],
    ['an object key', { 'k\u0000': 1 }, 'name'],
  ])('finds U+0000 in %s and names its path', (_where, value, path) => {
    expect(findNulCharacter(value, 'name')).toBe(path);
  });

  it('walks JSON nested far deeper than the call stack allows', () => {
    let deep: unknown = { leaf: 'x\u0000' };
    for (let level = 0; level < 100_000; level += 1) deep = { a: deep };
    expect(findNulCharacter(deep, 'data')).toMatch(/^data(\.a)+\.leaf$/);
  });
});

describe('rejectNulCharacters', () => {
  const run = (args: Record<string, unknown>) =>
    rejectNulCharacters({ args } as Parameters<typeof rejectNulCharacters>[0], async () => 'resolved');

  it('lets clean arguments through to the resolver', async () => {
    await expect(run({ stackId: 'abc', input: { name: 'web' } })).resolves.toBe('resolved');
  });

  it('refuses an argument holding U+0000 with BAD_USER_INPUT naming the field', () => {
    expect(() => run({ input: { name: 'w\u0000b' } })).toThrow(BadUserInputError);
    expect(() => run({ input: { name: 'w\u0000b' } })).toThrow('input.name: must not contain NUL characters');
  });
});
