// Subscription fan-out that executes each event once per distinct operation instead of once per subscriber.
//
// graphql-js's subscribe() runs a full execution for every subscriber on every event. The live bus hands one
// event object to all of a topic's listeners (EventsService shares the per-viewer views it derives from it), so
// subscribers that receive the same object and run the same document with the same variables can share one
// ExecutionResult. With ws-adapter.ts the results are pushed from the bus event straight to the sockets, and only
// the socket write (with the subscription's message envelope) stays per subscriber.
//
// This relies on subscription payload fields not reading the context: authorization happens when the
// subscription is created (EventsService.subscribe), and what depends on the viewer is already in the event
// object (e.g. a view with its own browserAlert). It also relies on the subscription's root field mapping an event
// without reading its arguments (notificationReceived returns its event): those arguments choose the stream when
// the subscription starts, so variables read only there (the stack, the event types, where to resume from) are
// left out of the sharing key, and resumed subscribers share live events with everyone else.
//
// Only fields declared to read nothing but their parent object are shared: those of a type, or single fields, whose
// GraphQL extensions carry `eventData: true` (see EVENT_DATA). An operation that selects anything else (e.g. a
// notification's stack { unreadCount }, which is the viewer's) runs once per subscriber, with its own context.
import {
  createSourceEventStream,
  execute,
  Kind,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
import {
  isPushable,
  MAX_QUEUED_MESSAGES,
  type PushableIterator,
  type PushSink,
} from './subscription-iterator';

type PromiseOrValue<T> = T | Promise<T>;

interface SettleListener {
  resultSettled(): void;
}

/** One operation's result for one event, shared by every subscriber that runs the operation. */
class SharedResult {
  /** Set once the execution has finished. */
  outcome: { result: ExecutionResult } | { error: unknown } | undefined;
  /** For subscribers consuming through next(). */
  readonly value: PromiseOrValue<ExecutionResult>;
  private waiters: SettleListener[] | undefined;

  constructor(executed: PromiseOrValue<ExecutionResult>) {
    this.value = executed;
    if (!(executed instanceof Promise)) {
      this.outcome = { result: executed };
      return;
    }
    executed.then(
      (result) => this.settle({ result }),
      (error: unknown) => this.settle({ error }),
    );
  }

  /** Tells `listener` once the execution has finished (one promise reaction per event, not per subscriber). */
  whenSettled(listener: SettleListener): void {
    (this.waiters ??= []).push(listener);
  }

  private settle(outcome: NonNullable<SharedResult['outcome']>): void {
    this.outcome = outcome;
    const waiters = this.waiters ?? [];
    this.waiters = undefined;
    for (const waiter of waiters) waiter.resultSettled();
  }
}

/**
 * The GraphQL extensions (type-graphql's @Extensions) of a type or field whose fields resolve from their parent
 * object alone, never from the context: what subscribers with different viewers may share.
 */
export const EVENT_DATA = { eventData: true } as const;

function isEventData(extensions: { readonly [name: string]: unknown } | null | undefined): boolean {
  return extensions?.eventData === true;
}

/** Per document and operation name, whether every field it selects below the root field is event data. */
const shareableByDocument = new WeakMap<DocumentNode, Map<string, boolean>>();

export function selectsEventDataOnly(args: ExecutionArgs): boolean {
  let byName = shareableByDocument.get(args.document);
  if (!byName) shareableByDocument.set(args.document, (byName = new Map()));
  const cached = byName.get(args.operationName ?? '');
  if (cached !== undefined) return cached;
  const subscriptionType = args.schema.getSubscriptionType();
  const typeInfo = new TypeInfo(args.schema);
  let shareable = true;
  visit(
    args.document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.name.value === '__typename') return;
        const parent = typeInfo.getParentType();
        if (!parent || parent === subscriptionType) return;
        if (!isEventData(parent.extensions) && !isEventData(typeInfo.getFieldDef()?.extensions)) {
          shareable = false;
        }
      },
    }),
  );
  byName.set(args.operationName ?? '', shareable);
  return shareable;
}

/** Makes the sharing key of a subscription that shares with no one. */
let unshared = 0;

/** Per event object, the result of each distinct operation. Entries go when the event object is collected. */
const resultsByEvent = new WeakMap<object, Map<string, SharedResult>>();
/** print() once per document object (documents are shared when the parse cache hits). */
const printedDocuments = new WeakMap<DocumentNode, string>();

/** Per document and operation name, the variables only the root field's arguments read. */
const streamOnlyByDocument = new WeakMap<DocumentNode, Map<string, ReadonlySet<string>>>();

function variablesIn(node: ASTNode | readonly ASTNode[], into: Set<string>): void {
  visit(node as ASTNode, {
    Variable(variable) {
      into.add(variable.name.value);
    },
  });
}

/** The variables that only the arguments of the operation's root field read (see the note at the top). */
export function streamOnlyVariables(
  document: DocumentNode,
  operationName?: string | null,
): ReadonlySet<string> {
  let byName = streamOnlyByDocument.get(document);
  if (!byName) streamOnlyByDocument.set(document, (byName = new Map()));
  const cached = byName.get(operationName ?? '');
  if (cached) return cached;
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((candidate) => candidate.name?.value === operationName)
    : operations[0];
  const inArguments = new Set<string>();
  const elsewhere = new Set<string>();
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD) {
      variablesIn(selection, elsewhere);
      continue;
    }
    variablesIn(selection.arguments ?? [], inArguments);
    variablesIn(selection.directives ?? [], elsewhere);
    if (selection.selectionSet) variablesIn(selection.selectionSet, elsewhere);
  }
  variablesIn(operation?.directives ?? [], elsewhere);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) variablesIn(definition, elsewhere);
  }
  const streamOnly = new Set([...inArguments].filter((name) => !elsewhere.has(name)));
  byName.set(operationName ?? '', streamOnly);
  return streamOnly;
}

export function operationKey(args: ExecutionArgs): string {
  let printed = printedDocuments.get(args.document);
  if (printed === undefined) {
    printed = print(args.document);
    printedDocuments.set(args.document, printed);
  }
  const streamOnly = streamOnlyVariables(args.document, args.operationName);
  const variables = Object.entries(args.variableValues ?? {}).filter(([name]) => !streamOnly.has(name));
  return `${args.operationName ?? ''}\n${JSON.stringify(variables)}\n${printed}`;
}

function executeShared(event: unknown, key: string, args: ExecutionArgs): SharedResult {
  if (event === null || typeof event !== 'object')
    return new SharedResult(execute({ ...args, rootValue: event }));
  let results = resultsByEvent.get(event);
  if (!results) {
    results = new Map();
    resultsByEvent.set(event, results);
  }
  let shared = results.get(key);
  if (!shared) {
    shared = new SharedResult(execute({ ...args, rootValue: event }));
    results.set(key, shared);
  }
  return shared;
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

/**
 * A subscription's stream of shared results. Through next() it maps the source like mapEvents; after pushTo() it
 * pushes each event's result in event order: a result still executing holds back the ones after it, and all of
 * them are delivered when it settles. A class rather than closures: thousands of idle subscriptions each hold one.
 */
class SharedResultStream implements PushableIterator<ExecutionResult>, PushSink<unknown>, SettleListener {
  private sink: PushSink<ExecutionResult> | undefined;
  /** Results not delivered yet because the first of them is still executing. */
  private held: SharedResult[] | undefined;
  private waitingOn: SharedResult | undefined;
  private stopped = false;
  private mapped: AsyncIterableIterator<ExecutionResult> | undefined;

  constructor(
    private readonly source: PushableIterator<unknown>,
    private readonly key: string,
    private readonly args: ExecutionArgs,
  ) {}

  next(): Promise<IteratorResult<ExecutionResult>> {
    return this.pull().next();
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.stop();
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.stop();
    return this.pull().throw!(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  pushTo(sink: PushSink<ExecutionResult>): void {
    this.sink = sink;
    this.source.pushTo(this);
  }

  /** An event from the source. */
  push(event: unknown): void {
    if (this.stopped) return;
    let shared: SharedResult;
    try {
      shared = executeShared(event, this.key, this.args);
    } catch (error) {
      shared = new SharedResult(Promise.reject(error));
    }
    if (!this.held?.length && shared.outcome) {
      this.deliver(shared);
      return;
    }
    this.held ??= [];
    // Like the source's own queue: a result that never settles keeps at most this many waiting behind it.
    if (this.held.length >= MAX_QUEUED_MESSAGES) this.held.shift();
    this.held.push(shared);
    this.resultSettled();
  }

  fail(error: unknown): void {
    this.stop();
    this.sink!.fail(error);
  }

  /** Delivers the settled results at the head of `held`, then waits for the next one. */
  resultSettled(): void {
    if (this.stopped) return;
    const held = this.held!;
    while (!this.stopped && held.length && held[0].outcome) this.deliver(held.shift()!);
    if (!this.stopped && held.length && this.waitingOn !== held[0]) {
      this.waitingOn = held[0];
      this.waitingOn.whenSettled(this);
    }
  }

  private deliver(shared: SharedResult): void {
    const outcome = shared.outcome!;
    if ('result' in outcome) {
      this.sink!.push(outcome.result);
      return;
    }
    this.stop();
    void this.source.return?.();
    this.sink!.fail(outcome.error);
  }

  private stop(): void {
    this.stopped = true;
    this.held = undefined;
  }

  private pull(): AsyncIterableIterator<ExecutionResult> {
    return (this.mapped ??= mapEvents(
      this.source,
      (event) => executeShared(event, this.key, this.args).value,
    ));
  }
}

/** A drop-in for graphql-js's subscribe() (graphql-ws's `subscribe` option) that shares execution across subscribers. */
export async function subscribeSharingExecution(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source;
  const key = selectsEventDataOnly(args) ? operationKey(args) : `unshared ${++unshared}`;
  if (isPushable(source)) return new SharedResultStream(source, key, args);
  return mapEvents(source, (event) => executeShared(event, key, args).value);
}
