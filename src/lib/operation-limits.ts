// Depth and cost limits of GraphQL operations, checked the same way for HTTP (an Apollo plugin) and WebSocket
// (graphql-ws onSubscribe). List fields with a `first` argument cost their children times `first`.
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
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

/** The first limit the operation breaks, as a coded error, or null. */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
  limits: OperationLimits,
): GraphQLError | null {
  const depth = operationDepth(document, operationName);
  if (depth > limits.maxDepth) {
    return new GraphQLError(`The operation is ${depth} levels deep; at most ${limits.maxDepth} are allowed`, {
      extensions: { code: ErrorCode.QUERY_TOO_DEEP, depth, maxDepth: limits.maxDepth },
    });
  }
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
    // Variables that do not fit the operation are reported by execution with their own error.
    return null;
  }
  if (cost > limits.maxCost) {
    return new GraphQLError(
      `The operation costs ${cost}; at most ${limits.maxCost} is allowed (ask for fewer items)`,
      {
        extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, cost, maxCost: limits.maxCost },
      },
    );
  }
  return null;
}
