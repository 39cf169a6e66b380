// Relay cursors and page sizes: opaque, round-tripping, and refused with BAD_USER_INPUT when not ours.
import { BadUserInputError } from './errors';
import {
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  MAX_PAGE_SIZE,
  pageRequest,
  pageSize,
} from './pagination';

function refusalOf(action: () => unknown): BadUserInputError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('cursors', () => {
  it('round-trip the position of a row', () => {
    const position = {
      createdAt: new Date('2026-01-02T03:04:05.678Z'),
      id: '0f807141-5fa5-498a-9b8f-9e71e3cdb09f',
    };
    const cursor = encodeCursor(position, 'notifications:a');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor.length).toBeLessThanOrEqual(200);
    expect(decodeCursor(cursor, 'notifications:a')).toEqual(position);
  });

  it('refuses a cursor of another list, naming the argument it came in', () => {
    const cursor = encodeCursor({ createdAt: new Date(), id: 'x' }, 'notifications:a');
    expect(refusalOf(() => decodeCursor(cursor, 'notifications:b', 'before')).extensions()).toEqual({
      field: 'before',
    });
    expect(refusalOf(() => decodeCursor(cursor, 'deliveries:a')).extensions()).toEqual({ field: 'after' });
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a JSON number', Buffer.from('7').toString('base64url')],
    ['an array without an id', Buffer.from('["2026-01-01T00:00:00Z"]').toString('base64url')],
    ['an array with a bad date', Buffer.from('["yesterday","id"]').toString('base64url')],
    ['an array with a numeric id', Buffer.from('["2026-01-01T00:00:00Z",1]').toString('base64url')],
    ['a position without its list', Buffer.from('["2026-01-01T00:00:00Z","id"]').toString('base64url')],
    ['an empty string', ''],
  ])('refuses %s, naming after', (_name, cursor) => {
    const error = refusalOf(() => decodeCursor(cursor, 'stacks:a'));
    expect(error.extensions()).toEqual({ field: 'after' });
  });
});

describe('pageSize', () => {
  it(`is ${DEFAULT_PAGE_SIZE} when first is not given`, () => {
    expect(pageSize(undefined)).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSize(null)).toBe(DEFAULT_PAGE_SIZE);
  });

  it(`accepts 1 to ${MAX_PAGE_SIZE}`, () => {
    expect(pageSize(1)).toBe(1);
    expect(pageSize(MAX_PAGE_SIZE)).toBe(MAX_PAGE_SIZE);
  });

  it.each([0, -1, MAX_PAGE_SIZE + 1, 2.5])('refuses %s, naming first', (first) => {
    expect(refusalOf(() => pageSize(first)).extensions()).toEqual({ field: 'first' });
  });
});

describe('pageRequest', () => {
  it('reads forward by default, and backward with last or with before alone', () => {
    expect(pageRequest({})).toEqual({ backward: false, limit: DEFAULT_PAGE_SIZE });
    expect(pageRequest({ first: 5, after: 'c' })).toEqual({ backward: false, limit: 5 });
    expect(pageRequest({ first: 5, before: 'c' })).toEqual({ backward: false, limit: 5 });
    expect(pageRequest({ last: 7 })).toEqual({ backward: true, limit: 7 });
    expect(pageRequest({ last: 7, before: 'c', after: 'd' })).toEqual({ backward: true, limit: 7 });
    expect(pageRequest({ before: 'c' })).toEqual({ backward: true, limit: DEFAULT_PAGE_SIZE });
  });

  it('refuses first with last, naming last', () => {
    const error = refusalOf(() => pageRequest({ first: 1, last: 1 }));
    expect(error.extensions()).toEqual({ field: 'last' });
    expect(error.message).toMatch(/^last: cannot be given with first/);
  });

  it.each([0, -3, MAX_PAGE_SIZE + 1, 1.5])('refuses last: %s, naming last', (last) => {
    const error = refusalOf(() => pageRequest({ last }));
    expect(error.extensions()).toEqual({ field: 'last' });
    expect(error.message).toBe(`last: must be between 1 and ${MAX_PAGE_SIZE}, not ${last}`);
  });
});
