// Subscription fan-out that executes each event once per distinct operation instead of once per subscriber.
//
// graphql-js's subscribe() runs a full execution for every subscriber on every event. The live bus hands one
// event object to all of a topic's listeners (EventsService shares the per-viewer views it derives from it), so
// subscribers that receive the same object and run the same document with the same variables can share one
// ExecutionResult. Only the socket write (and graphql-ws's small message envelope) stays per subscriber.
//
// This relies on subscription payload fields not reading the context: authorization happens when the
// subscription is created (EventsService.subscribe), and what depends on the viewer is already in the event
// object (e.g. a view with its own browserAlert).
import {
  createSourceEventStream,
  execute,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';

type PromiseOrValue<T> = T | Promise<T>;

/** Per event object, the result of each distinct operation. Entries go when the event object is collected. */
const resultsByEvent = new WeakMap<object, Map<string, PromiseOrValue<ExecutionResult>>>();
/** print() once per document object (documents are shared when the parse cache hits). */
const printedDocuments = new WeakMap<DocumentNode, string>();

function operationKey(args: ExecutionArgs): string {
  let printed = printedDocuments.get(args.document);
  if (printed === undefined) {
    printed = print(args.document);
    printedDocuments.set(args.document, printed);
  }
  return `${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${printed}`;
}

function executeShared(event: unknown, key: string, args: ExecutionArgs): PromiseOrValue<ExecutionResult> {
  if (event === null || typeof event !== 'object') return execute({ ...args, rootValue: event });
  let results = resultsByEvent.get(event);
  if (!results) {
    results = new Map();
    resultsByEvent.set(event, results);
  }
  let result = results.get(key);
  if (!result) {
    const executed = execute({ ...args, rootValue: event });
    result = executed instanceof Promise ? executed.then(withPlainData) : withPlainData(executed);
    results.set(key, result);
  }
  return result;
}

/**
 * graphql-js builds result objects without a prototype, which JSON.stringify serializes markedly slower than plain
 * objects; each socket's message is stringified separately, so convert the shared data once.
 */
function withPlainData(result: ExecutionResult): ExecutionResult {
  if (result.data === null || result.data === undefined) return result;
  return { ...result, data: JSON.parse(JSON.stringify(result.data)) as ExecutionResult['data'] };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof Object(value)[Symbol.asyncIterator] === 'function';
}

/**
 * Maps a source stream like graphql-js's mapAsyncIterator: return() and throw() reach the source at once, even
 * while a next() is pending, so closing a socket frees its bus listener immediately.
 */
function mapEvents(
  source: AsyncIterable<unknown>,
  map: (event: unknown) => PromiseOrValue<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  const close = async () => {
    await iterator.return?.();
  };
  const step = async (result: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> => {
    if (result.done) return { value: undefined, done: true };
    try {
      return { value: await map(result.value), done: false };
    } catch (error) {
      await close();
      throw error;
    }
  };
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    next: () => iterator.next().then(step),
    return: async () => {
      await close();
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      if (iterator.throw) return iterator.throw(error).then(step);
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}

/** A drop-in for graphql-js's subscribe() (graphql-ws's `subscribe` option) that shares execution across subscribers. */
export async function subscribeSharingExecution(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source;
  const key = operationKey(args);
  return mapEvents(source, (event) => executeShared(event, key, args));
}
