// Relay-style connections: opaque cursors over (created_at, id), newest first, with a hard cap on page size.
import { ClassType, Field, ObjectType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadUserInputError } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
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

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(createdAt));
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new BadUserInputError('is not a cursor this API returned', 'after');
  }
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

/**
 * Runs a newest-first page query. `alias` is the query's main alias; its entity must have createdAt and id.
 * Fetches one extra row to learn whether there is a next page.
 */
export async function paginate<T extends ObjectLiteral & CursorPosition>(
  query: SelectQueryBuilder<T>,
  alias: string,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<T>> {
  const limit = pageSize(args.first);
  if (args.after) {
    const position = decodeCursor(args.after);
    query.andWhere(
      `(${alias}.createdAt < :cursorCreatedAt OR (${alias}.createdAt = :cursorCreatedAt AND ${alias}.id < :cursorId))`,
      { cursorCreatedAt: position.createdAt, cursorId: position.id },
    );
  }
  const rows = await query
    .orderBy(`${alias}.createdAt`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1)
    .getMany();
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
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
