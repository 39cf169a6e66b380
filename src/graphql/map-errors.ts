// Maps every error a resolver throws to a coded GraphQL error, applied to every resolver class with
// @UseMiddleware(mapErrors). Not a global middleware: that would wrap every plain field of every object too.
import { getNamedType } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import type { Context } from '../context';
import { toGraphQLError } from '../lib/errors';

/**
 * Maps every error a resolver throws to a coded GraphQL error. It runs in the schema, so operations over
 * graphql-ws (which never reach Apollo's formatError) are mapped the same way as HTTP ones.
 */
export const mapErrors: MiddlewareFn<Context> = async ({ context, info }, next) => {
  try {
    return await next();
  } catch (thrown) {
    const { error, internal, unavailable } = toGraphQLError(thrown, {
      maskInternal: context.services.config.production,
      requestId: context.requestId,
      // An input object is validated as an instance of its class, whose name is its GraphQL type's name.
      argumentOf: (validated) =>
        info.parentType
          .getFields()
          [info.fieldName]?.args.find((arg) => getNamedType(arg.type).name === validated.constructor.name)
          ?.name,
    });
    if (internal) context.log.error({ err: thrown }, 'resolver failed');
    if (unavailable) context.log.warn({ err: thrown }, 'resolver failed: a dependency is unreachable');
    throw error;
  }
};
