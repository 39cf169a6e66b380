// toGraphQLError: every thrown value becomes a coded GraphQL error; only bugs are INTERNAL_SERVER_ERROR.
import { GraphQLError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { ValidationError } from 'class-validator';
import {
  BadUserInputError,
  ErrorCode,
  ForbiddenError,
  isDependencyDown,
  NotFoundError,
  toGraphQLError,
  UnauthenticatedError,
} from './errors';

const options = { maskInternal: false, requestId: 'req-1' };

describe('toGraphQLError', () => {
  it.each([
    [new UnauthenticatedError(), ErrorCode.UNAUTHENTICATED],
    [new ForbiddenError('no'), ErrorCode.FORBIDDEN],
    [new NotFoundError('Stack'), ErrorCode.NOT_FOUND],
    [new BadUserInputError('must not be blank', 'input.name'), ErrorCode.BAD_USER_INPUT],
  ])('codes %s as %s without calling it internal', (thrown, code) => {
    const { error, internal } = toGraphQLError(thrown, options);
    expect(error.extensions.code).toBe(code);
    expect(error.message).toBe(thrown.message);
    expect(internal).toBe(false);
  });

  it('names the field of a BAD_USER_INPUT error', () => {
    const { error } = toGraphQLError(new BadUserInputError('must not be blank', 'input.name'), options);
    expect(error.message).toBe('input.name: must not be blank');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('turns class-validator failures into BAD_USER_INPUT naming the first field, nested paths included', () => {
    const keys = Object.assign(new ValidationError(), {
      property: 'p256dh',
      constraints: { matches: 'p256dh must be a base64url P-256 public key' },
      children: [],
    });
    const parent = Object.assign(new ValidationError(), {
      property: 'keys',
      constraints: {},
      children: [keys],
    });
    const { error, internal } = toGraphQLError(new ArgumentValidationError([parent]), options);
    expect(internal).toBe(false);
    expect(error.message).toBe('keys.p256dh: p256dh must be a base64url P-256 public key');
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'keys.p256dh' });
  });

  it('passes through a GraphQL error that already has a code', () => {
    const coded = new GraphQLError('nope', { extensions: { code: 'FORBIDDEN' } });
    expect(toGraphQLError(coded, options)).toEqual({ error: coded, internal: false, unavailable: false });
  });

  it('calls anything else a bug: INTERNAL_SERVER_ERROR with the request id', () => {
    const { error, internal } = toGraphQLError(new TypeError('x is undefined'), options);
    expect(internal).toBe(true);
    expect(error.message).toBe('x is undefined');
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' });
  });

  it('hides the message of a bug when asked to (production)', () => {
    const { error } = toGraphQLError(new Error('password authentication failed for user "app"'), {
      maskInternal: true,
      requestId: 'req-2',
    });
    expect(error.message).toBe('Internal server error');
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-2' });
  });

  it('codes a thrown non-Error as a bug too', () => {
    expect(toGraphQLError('oops', options).error.extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('isDependencyDown', () => {
  const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['a lost pg connection', new Error('Connection terminated unexpectedly')],
    ['a pg connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'PostgreSQL shutting down (57P01)',
      withCode('57P01', 'terminating connection due to administrator command'),
    ],
    ['a PostgreSQL connection exception (08006)', withCode('08006')],
    ['too many connections (53300)', withCode('53300')],
    ['a busy SQLite file', withCode('SQLITE_BUSY', 'database is locked')],
    [
      'an error wrapped by TypeORM',
      Object.assign(new Error('query failed'), { driverError: withCode('ECONNREFUSED') }),
    ],
    [
      'an AggregateError of refused addresses',
      new AggregateError([withCode('ECONNREFUSED')], 'connect failed'),
    ],
  ])('recognises %s', (_name, error) => {
    expect(isDependencyDown(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value')],
    ['a syntax error', withCode('42601')],
    ['a bug', new TypeError('x is undefined')],
    ['a non-error', 'oops'],
  ])('does not take %s for an outage', (_name, error) => {
    expect(isDependencyDown(error)).toBe(false);
  });

  it('codes an outage SERVICE_UNAVAILABLE with retryAfter and the request id, not as a bug', () => {
    const { error, internal, unavailable } = toGraphQLError(withCode('ECONNREFUSED'), options);
    expect({ internal, unavailable }).toEqual({ internal: false, unavailable: true });
    expect(error.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', requestId: 'req-1' });
    expect(error.extensions.retryAfter).toEqual(expect.any(Number));
  });
});
