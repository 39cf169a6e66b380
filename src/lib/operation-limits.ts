// Size, depth, alias, root-field and cost limits of GraphQL operations, checked before execution whatever the
// transport. List fields with a `first` or `last` argument cost their children times that count. Verdicts are
// remembered per parsed document, so a repeated operation is not walked on every request.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import {
  getIntrospectionQuery,
  getNullableType,
  GraphQLError,
  isListType,
  Kind,
  parse,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { LRUCache } from 'lru-cache';
import { DEFAULT_PAGE_SIZE } from './pagination';
import { ErrorCode } from './errors';

export interface OperationLimits {
  /** @default 10 */
  maxDepth: number;
  /** @default 5000 */
  maxCost: number;
  /** Aliased fields per operation, __typename aside. @default 30 */
  maxAliases: number;
  /** Top-level fields of the operation, through fragments. @default 20 */
  maxRootFields: number;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/**
 * Connections cost their selection once per requested item (first or last); a list fetched by ids (Query.nodes),
 * once per id.
 */
const pageEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (isListType(getNullableType(field.type)) && Array.isArray(args.ids)) {
    return 1 + childComplexity * args.ids.length;
  }
  if (!field.args.some((arg) => arg.name === 'first' || arg.name === 'last')) return undefined;
  const requested = [args.first, args.last].find((value) => typeof value === 'number' && value > 0) as
    number | undefined;
  return 1 + childComplexity * (requested ?? DEFAULT_PAGE_SIZE);
};

/** The deepest path of a selection; `inside` tells whether the path so far is inside __schema or __type. */
function selectionDepth(
  selectionSet: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  visited: Set<string>,
  introspection: boolean,
  inside = false,
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const entering = inside || INTROSPECTION_ROOTS.has(selection.name.value);
      // Each kind of path is measured on its own: introspection may go as deep as the standard query does.
      if (entering !== introspection) continue;
      deepest = Math.max(
        deepest,
        1 + selectionDepth(selection.selectionSet, fragments, visited, introspection, entering),
      );
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(
        deepest,
        selectionDepth(selection.selectionSet, fragments, visited, introspection, inside),
      );
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A fragment cycle is refused by validation; stop here rather than loop.
      if (!fragment || visited.has(name)) continue;
      deepest = Math.max(
        deepest,
        selectionDepth(fragment.selectionSet, fragments, new Set([...visited, name]), introspection, inside),
      );
    }
  }
  return deepest;
}

function definitions(document: DocumentNode, operationName?: string | null) {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const selected = operationName ? operations.filter((op) => op.name?.value === operationName) : operations;
  return { fragments, selected };
}

/** The depth of the operation outside introspection, or (introspection: true) inside __schema and __type. */
export function operationDepth(
  document: DocumentNode,
  operationName?: string | null,
  introspection = false,
): number {
  const { fragments, selected } = definitions(document, operationName);
  return Math.max(
    0,
    ...selected.map((op) => selectionDepth(op.selectionSet, fragments, new Set(), introspection)),
  );
}

/** The introspection query GraphiQL, Apollo and codegen send, with every option graphql-js offers. */
export const STANDARD_INTROSPECTION_QUERY = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

/** How deep the standard introspection query goes; introspection may go that deep. */
const STANDARD_INTROSPECTION_DEPTH = operationDepth(parse(STANDARD_INTROSPECTION_QUERY), null, true);

/** Top-level fields of the selected operations, counting those that fragments bring. */
export function rootFieldCount(document: DocumentNode, operationName?: string | null): number {
  const { fragments, selected } = definitions(document, operationName);
  const count = (selectionSet: SelectionSetNode, visited: Set<string>): number => {
    let fields = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields += selection.name.value === '__typename' ? 0 : 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) fields += count(selection.selectionSet, visited);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !visited.has(fragment.name.value))
          fields += count(fragment.selectionSet, new Set([...visited, fragment.name.value]));
      }
    }
    return fields;
  };
  return Math.max(0, ...selected.map((op) => count(op.selectionSet, new Set())));
}

/** The alias count graphql-armor finds in the document's largest operation, when it is over the limit. */
function excessAliases(schema: GraphQLSchema, document: DocumentNode, maxAliases: number): string | null {
  let refusal: string | null = null;
  validate(schema, document, [
    maxAliasesRule({
      n: maxAliases,
      propagateOnRejection: false,
      onReject: [(_context, error) => (refusal ??= error.message.replace(/^Syntax Error: /, ''))],
    }),
  ]);
  return refusal;
}

/**
 * What is kept per document: the variables its cost reads, and the verdicts already reached, by limits, operation
 * name and the values of those variables. A verdict is the structural refusal (depth, aliases, root fields), or
 * false when the operation passed. Cost refusals are not kept (see computeLimits).
 */
interface DocumentVerdicts {
  costVariables: readonly string[];
  verdicts: LRUCache<string, GraphQLError | false>;
}

/**
 * By document object: Apollo's document store and the WebSocket DocumentCache hand every request with the same
 * query text the same parsed document, so a repeated operation is checked once. A document that is dropped from
 * those caches (or parsed anew each time) takes its verdicts with it: nothing here outlives its document.
 */
const verdictsBySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentVerdicts>>();
/** Verdicts kept per document (operation names x cost variable values); the least recently used goes first. */
const MAX_VERDICTS_PER_DOCUMENT = 64;
/** Keys longer than this (huge variable values) are not kept. */
const MAX_KEY_LENGTH = 1000;

/** The arguments pageEstimator reads. */
const COST_ARGUMENTS = new Set(['first', 'last', 'ids']);

/**
 * The variables the cost can depend on: those inside a `first`, `last` or `ids` argument (pageEstimator reads them)
 * or a directive's arguments (@include and @skip take their selection out of the cost). Any other variable can only
 * make the operation fail to coerce, and then the operation is not refused here whatever its cost.
 */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (value: ValueNode) =>
    visit(value, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  visit(document, {
    Argument(argument) {
      if (COST_ARGUMENTS.has(argument.name.value)) collect(argument.value);
    },
    Directive(directive) {
      for (const argument of directive.arguments ?? []) collect(argument.value);
    },
  });
  return [...names];
}

function verdictKey(
  entry: DocumentVerdicts,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
  limits: OperationLimits,
): string | null {
  let key = `${limits.maxDepth}|${limits.maxCost}|${limits.maxAliases}|${limits.maxRootFields}|${operationName ?? ''}`;
  for (const name of entry.costVariables) {
    // Absent and null differ: an absent variable takes its default value.
    const value =
      variables && Object.prototype.hasOwnProperty.call(variables, name)
        ? (JSON.stringify(variables[name]) ?? 'undefined')
        : '-';
    key += `|${value}`;
    if (key.length > MAX_KEY_LENGTH) return null;
  }
  return key;
}

function tooDeep(depth: number, maxDepth: number): GraphQLError {
  return new GraphQLError(`The operation is ${depth} levels deep; at most ${maxDepth} are allowed`, {
    extensions: { code: ErrorCode.QUERY_TOO_DEEP, depth, maxDepth },
  });
}

function tooComplex(message: string, extensions: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, ...extensions } });
}

/** The QUERY_TOO_COMPLEX refusal of a document that parsing stopped at maxTokens, or null for any other error. */
export function tokenLimitRefusal(error: { message: string }, maxTokens: number): GraphQLError | null {
  if (!/Document contains more th(?:an|at) \d+ tokens/.test(error.message)) return null;
  return tooComplex(`The document has more than ${maxTokens} tokens; at most ${maxTokens} are allowed`, {
    maxTokens,
  });
}

/** The first structural limit the operation breaks (depth, aliases, root fields); it reads no variable. */
function structuralRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  limits: OperationLimits,
): GraphQLError | null {
  const depth = operationDepth(document, operationName);
  if (depth > limits.maxDepth) return tooDeep(depth, limits.maxDepth);
  const introspectionDepth = operationDepth(document, operationName, true);
  const maxIntrospectionDepth = Math.max(limits.maxDepth, STANDARD_INTROSPECTION_DEPTH);
  if (introspectionDepth > maxIntrospectionDepth) return tooDeep(introspectionDepth, maxIntrospectionDepth);
  const rootFields = rootFieldCount(document, operationName);
  if (rootFields > limits.maxRootFields) {
    return tooComplex(
      `The operation asks for ${rootFields} top-level fields; at most ${limits.maxRootFields} are allowed`,
      { rootFields, maxRootFields: limits.maxRootFields },
    );
  }
  const aliases = excessAliases(schema, document, limits.maxAliases);
  if (aliases) return tooComplex(aliases, { maxAliases: limits.maxAliases });
  return null;
}

/** Walks the document: the verdict, and whether it holds for every request with the same verdict key. */
function computeLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
  limits: OperationLimits,
): { error: GraphQLError | null; kept: GraphQLError | false | undefined } {
  // Structural limits read no variable: kept.
  const refused = structuralRefusal(schema, document, operationName, limits);
  if (refused) return { error: refused, kept: refused };
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      variables,
      operationName: operationName ?? undefined,
      estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch {
    // Variables that do not fit the operation are reported by execution with their own error. Not kept: the
    // same cost variables with valid other variables are decided by the cost.
    return { error: null, kept: undefined };
  }
  if (cost > limits.maxCost) {
    // Not kept: the same operation whose other variables do not coerce passes (see above). Refusals are rare.
    const error = new GraphQLError(
      `The operation costs ${cost}; at most ${limits.maxCost} is allowed (ask for fewer items)`,
      {
        extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, cost, maxCost: limits.maxCost },
      },
    );
    return { error, kept: undefined };
  }
  // A pass holds for any request with the same cost variables: its cost is the same, or it does not coerce.
  return { error: null, kept: false };
}

/**
 * The first limit the operation breaks, as a coded error, or null. The verdict for a document already seen with
 * the same operation name and cost variables is remembered, so a repeated operation is not walked again.
 */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
  limits: OperationLimits,
): GraphQLError | null {
  let documents = verdictsBySchema.get(schema);
  if (!documents) verdictsBySchema.set(schema, (documents = new WeakMap()));
  let entry = documents.get(document);
  if (!entry)
    documents.set(
      document,
      (entry = {
        costVariables: costVariables(document),
        verdicts: new LRUCache({ max: MAX_VERDICTS_PER_DOCUMENT }),
      }),
    );
  const key = verdictKey(entry, variables, operationName, limits);
  if (key !== null) {
    const cached = entry.verdicts.get(key);
    if (cached === false) return null;
    // A fresh error each time: the request pipeline may add to the one it is given.
    if (cached !== undefined) return new GraphQLError(cached.message, { extensions: cached.extensions });
  }
  const { error, kept } = computeLimits(schema, document, variables, operationName, limits);
  if (key !== null && kept !== undefined) entry.verdicts.set(key, kept);
  return error;
}
