// Depth and cost limits of GraphQL operations, checked the same way for HTTP (an Apollo plugin) and WebSocket
// (graphql-ws onSubscribe). List fields with a `first` argument cost their children times `first`. Verdicts are
// remembered per parsed document, so a repeated operation is not walked on every request.
import {
  GraphQLError,
  Kind,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from './pagination';
import { ErrorCode } from './errors';

export interface OperationLimits {
  /** @default 10 */
  maxDepth: number;
  /** @default 5000 */
  maxCost: number;
}

/** Connections cost their selection once per requested item. */
const pageEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === 'first')) return undefined;
  const first = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * first;
};

function selectionDepth(
  selectionSet: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  visited: Set<string>,
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      deepest = Math.max(deepest, 1 + selectionDepth(selection.selectionSet, fragments, visited));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, selectionDepth(selection.selectionSet, fragments, visited));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A fragment cycle is refused by validation; stop here rather than loop.
      if (!fragment || visited.has(name)) continue;
      deepest = Math.max(
        deepest,
        selectionDepth(fragment.selectionSet, fragments, new Set([...visited, name])),
      );
    }
  }
  return deepest;
}

export function operationDepth(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const selected = operationName ? operations.filter((op) => op.name?.value === operationName) : operations;
  return Math.max(0, ...selected.map((op) => selectionDepth(op.selectionSet, fragments, new Set())));
}

/**
 * What is kept per document: the variables its cost reads, and the verdicts already reached, by limits, operation
 * name and the values of those variables. A verdict is the depth that was too deep, or null when the operation
 * passed. Cost refusals are not kept (see computeLimits).
 */
interface DocumentVerdicts {
  costVariables: readonly string[];
  verdicts: Map<string, number | null>;
}

/**
 * By document object: Apollo's document store and the WebSocket DocumentCache hand every request with the same
 * query text the same parsed document, so a repeated operation is checked once. A document that is dropped from
 * those caches (or parsed anew each time) takes its verdicts with it: nothing here outlives its document.
 */
const verdictsBySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentVerdicts>>();
/** Verdicts kept per document (operation names x cost variable values); the oldest is dropped first. */
const MAX_VERDICTS_PER_DOCUMENT = 64;
/** Keys longer than this (huge variable values) are not kept. */
const MAX_KEY_LENGTH = 1000;

/**
 * The variables the cost can depend on: those inside a `first` argument (pageEstimator reads it) or a directive's
 * arguments (@include and @skip take their selection out of the cost). Any other variable can only make the
 * operation fail to coerce, and then the operation is not refused here whatever its cost.
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
      if (argument.name.value === 'first') collect(argument.value);
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
  let key = `${limits.maxDepth}|${limits.maxCost}|${operationName ?? ''}`;
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

function tooDeep(depth: number, limits: OperationLimits): GraphQLError {
  return new GraphQLError(`The operation is ${depth} levels deep; at most ${limits.maxDepth} are allowed`, {
    extensions: { code: ErrorCode.QUERY_TOO_DEEP, depth, maxDepth: limits.maxDepth },
  });
}

/** Walks the document: the verdict, and whether it holds for every request with the same verdict key. */
function computeLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
  limits: OperationLimits,
): { error: GraphQLError | null; kept: number | null | undefined } {
  const depth = operationDepth(document, operationName);
  // The depth reads no variable: kept.
  if (depth > limits.maxDepth) return { error: tooDeep(depth, limits), kept: depth };
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
  return { error: null, kept: null };
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
    documents.set(document, (entry = { costVariables: costVariables(document), verdicts: new Map() }));
  const key = verdictKey(entry, variables, operationName, limits);
  if (key !== null) {
    const cached = entry.verdicts.get(key);
    if (cached === null) return null;
    if (cached !== undefined) return tooDeep(cached, limits);
  }
  const { error, kept } = computeLimits(schema, document, variables, operationName, limits);
  if (key !== null && kept !== undefined) {
    if (entry.verdicts.size >= MAX_VERDICTS_PER_DOCUMENT) {
      entry.verdicts.delete(entry.verdicts.keys().next().value!);
    }
    entry.verdicts.set(key, kept);
  }
  return error;
}
