// Relay-style connections (the Relay Cursor Connections specification): opaque cursors over (created_at, id), newest
// first, forward with first/after and backward with last/before, with a hard cap on page size.
import { createHash } from 'node:crypto';
import { MaxLength } from 'class-validator';
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadUserInputError } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const MAX_CURSOR_LENGTH = 200;

@ObjectType({
  description: 'Where a page of a connection lies in the whole list (Relay Cursor Connections).',
})
export class PageInfo {
  @Field({
    description:
      'Whether items follow the page. Paging forward (first): whether more items follow within the cursors given. ' +
      'Paging backward (last): exact when before is given (whether any item follows that cursor), false without ' +
      'before, as the page then ends with the oldest item.',
  })
  hasNextPage: boolean;

  @Field({
    description:
      'Whether items precede the page. Paging backward (last): whether more items precede it within the cursors ' +
      'given. Paging forward (first): exact when after is given (whether any item precedes that cursor, such as ' +
      'items newer than the first page read), false without after, as the page then starts with the newest item.',
  })
  hasPreviousPage: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The first edge's cursor; null when the page is empty.",
  })
  startCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The last edge's cursor; null when the page is empty.",
  })
  endCursor: string | null;
}

/**
 * The arguments of every connection. Both directions keep the list's order (newest first): `last`/`before` reads
 * towards the newest items and returns them in that order.
 */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Forward: at most this many items after \`after\` (1 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when neither first nor last is given). Not with last.`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Forward: the items after this cursor, older ones (an edge cursor or pageInfo.endCursor).',
  })
  @MaxLength(MAX_CURSOR_LENGTH)
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Backward: at most this many items before \`before\` (1 to ${MAX_PAGE_SIZE}), in the list's order. Not with first.`,
  })
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description: `Backward: the items before this cursor, newer ones (an edge cursor or pageInfo.startCursor); with neither first nor last, the ${DEFAULT_PAGE_SIZE} just before it.`,
  })
  @MaxLength(MAX_CURSOR_LENGTH)
  before?: string | null;
}

export interface PageArguments {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field()
    cursor: string;

    @Field(() => nodeType)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => [nodeType], { description: 'The nodes of edges, for clients that need no cursors.' })
    get nodes(): T[] {
      return this.edges.map((edge) => edge.node);
    }
  }
  return ConnectionClass;
}

interface CursorPosition {
  createdAt: Date;
  id: string;
}

/**
 * A short mark of the list a cursor was issued for (e.g. one stack's history), so that a cursor of another list is
 * refused rather than read as a position in this one. Not a secret: it only tells lists apart.
 */
function listMark(list: string): string {
  return createHash('sha256').update(list).digest('base64url').slice(0, 8);
}

export function encodeCursor(position: CursorPosition, list: string): string {
  return Buffer.from(
    JSON.stringify([position.createdAt.toISOString(), position.id, listMark(list)]),
  ).toString('base64url');
}

/** The position a cursor of `list` names; BAD_USER_INPUT naming `field` for anything else. */
export function decodeCursor(cursor: string, list: string, field = 'after'): CursorPosition {
  let position: CursorPosition | null = null;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(decoded) && decoded.length === 3) {
      const [createdAt, id, mark] = decoded as unknown[];
      const date = typeof createdAt === 'string' ? new Date(createdAt) : null;
      if (typeof id === 'string' && date && !Number.isNaN(date.getTime()) && mark === listMark(list)) {
        position = { createdAt: date, id };
      }
    }
  } catch {
    // Not base64url JSON: refused below.
  }
  if (!position) throw new BadUserInputError('is not a cursor this list returned', field);
  return position;
}

function count(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`must be between 1 and ${MAX_PAGE_SIZE}, not ${value}`, field);
  }
  return value;
}

/** The page size `first` asks for; the default when it is not given. */
export function pageSize(first: number | null | undefined): number {
  return count(first, 'first') ?? DEFAULT_PAGE_SIZE;
}

/** Which way a page is read and how many items, from the connection arguments; BAD_USER_INPUT when they clash. */
export function pageRequest(args: PageArguments): { backward: boolean; limit: number } {
  const first = count(args.first, 'first');
  const last = count(args.last, 'last');
  if (first !== null && last !== null) {
    throw new BadUserInputError(
      'cannot be given with first: page forward with first and after, or backward with last and before',
      'last',
    );
  }
  const backward = last !== null || (first === null && Boolean(args.before));
  return { backward, limit: first ?? last ?? DEFAULT_PAGE_SIZE };
}

/** A row's position in the newest-first order compared with a cursor's: `<` is older (later in the list). */
function positionCondition(alias: string, operator: '<' | '>', name: string): string {
  return (
    `(${alias}.createdAt ${operator} :${name}CreatedAt OR ` +
    `(${alias}.createdAt = :${name}CreatedAt AND ${alias}.id ${operator} :${name}Id))`
  );
}

function positionParameters(name: string, position: CursorPosition): Record<string, unknown> {
  return { [`${name}CreatedAt`]: position.createdAt, [`${name}Id`]: position.id };
}

/**
 * Runs a page query over a newest-first list. `alias` is the query's main alias; its entity must have createdAt
 * and id. `list` names the list (e.g. `notifications:<stackId>`): its cursors are refused by any other list.
 * Fetches one extra row to learn whether the page has a neighbour in its direction; the other direction's flag
 * costs one indexed lookup, and only when the cursor on that side was given.
 */
export async function paginate<T extends ObjectLiteral & CursorPosition>(
  query: SelectQueryBuilder<T>,
  alias: string,
  args: PageArguments,
  list: string,
): Promise<Connection<T>> {
  const { backward, limit } = pageRequest(args);
  const after = args.after ? decodeCursor(args.after, list, 'after') : null;
  const before = args.before ? decodeCursor(args.before, list, 'before') : null;
  // Before the cursors narrow it: the lookup for the other direction's flag reads beyond them.
  const whole = query.clone();
  if (after) query.andWhere(positionCondition(alias, '<', 'after'), positionParameters('after', after));
  if (before) query.andWhere(positionCondition(alias, '>', 'before'), positionParameters('before', before));
  const order = backward ? 'ASC' : 'DESC';
  const rows = await query
    .orderBy(`${alias}.createdAt`, order)
    .addOrderBy(`${alias}.id`, order)
    .limit(limit + 1)
    .getMany();
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backward) page.reverse();

  // The cursor on the far side of the page: anything at or beyond it lies outside the page in that direction.
  const beyond = backward ? before : after;
  const anyBeyond = beyond
    ? await whole
        .andWhere(
          `NOT ${positionCondition(alias, backward ? '>' : '<', 'beyond')}`,
          positionParameters('beyond', beyond),
        )
        .getExists()
    : false;

  const edges = page.map((node) => ({ cursor: encodeCursor(node, list), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: backward ? anyBeyond : more,
      hasPreviousPage: backward ? more : anyBeyond,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** The same page with its rows turned into API objects by one batched call (views in row order). */
export async function mapConnection<T, V>(
  connection: Connection<T>,
  toViews: (rows: T[]) => Promise<V[]>,
): Promise<Connection<V>> {
  const views = await toViews(connection.edges.map((edge) => edge.node));
  return {
    pageInfo: connection.pageInfo,
    edges: connection.edges.map((edge, index) => ({ cursor: edge.cursor, node: views[index] })),
  };
}
