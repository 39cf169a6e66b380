// Parsed and validated subscription documents, by query text. Thousands of subscribers send the same few queries:
// they share one AST (kept alive for each live subscription) and skip parsing and validation after the first.
import {
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { ErrorCode } from '../lib/errors';

export type CheckedDocument = { document: DocumentNode; errors: readonly GraphQLError[] };

/** Distinct query texts kept; the least recently used goes first, so odd one-off queries cannot grow the cache. */
const DEFAULT_MAX_ENTRIES = 200;
/** Longer queries are parsed every time rather than kept. */
const MAX_CACHED_QUERY_LENGTH = 10_000;

export class DocumentCache {
  private readonly entries: LRUCache<string, CheckedDocument>;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
    private readonly parseOptions: ParseOptions = {},
    maxEntries = DEFAULT_MAX_ENTRIES,
  ) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  /** The document and its validation errors, coded; throws the GraphQLError of a query that does not parse. */
  get(query: string): CheckedDocument {
    const cached = this.entries.get(query);
    if (cached) return cached;
    const document = parse(query, this.parseOptions);
    const errors = validate(this.schema, document, this.rules).map(
      (error) =>
        new GraphQLError(error.message, {
          nodes: error.nodes,
          originalError: error.originalError ?? error,
          extensions: { ...error.extensions, code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
        }),
    );
    const checked = { document, errors };
    if (query.length <= MAX_CACHED_QUERY_LENGTH) this.entries.set(query, checked);
    return checked;
  }
}
