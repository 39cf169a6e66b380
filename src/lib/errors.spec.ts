// toGraphQLError: every thrown value becomes a coded GraphQL error; only bugs are INTERNAL_SERVER_ERROR.
import { GraphQLError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { ValidationError } from 'class-validator';
import {
  BadUserInputError,
  ErrorCode,
  ForbiddenError,
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
    expect(toGraphQLError(coded, options)).toEqual({ error: coded, internal: false });
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
