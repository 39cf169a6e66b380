// Runs a typed query when its variables change, and keeps its data, error and loading state.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import type { TypedDocumentString } from '../graphql/generated';
import { useSession } from './session';

export interface QueryState<TResult> {
  data: TResult | null;
  error: ApiError | null;
  loading: boolean;
  /** Fetches again; resolves when done. */
  reload: () => Promise<void>;
  /**
   * Local changes (after a mutation, a live event) without a round trip. `afterWrite`: the change follows a write
   * of this session's, so a read on its way since before it may answer without it: that read is made again.
   */
  update: (change: (data: TResult) => TResult, options?: { afterWrite?: boolean }) => void;
}

export interface QueryOptions<TResult> {
  /** How an answer joins the data shown (null before the first one), e.g. to keep live additions. @default replaces it */
  merge?: (current: TResult | null, fetched: TResult) => TResult;
}

export function useQuery<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  options: QueryOptions<TResult> = {},
): QueryState<TResult> {
  const { api, connection } = useSession();
  const merge = useRef(options.merge);
  merge.current = options.merge;
  const key = JSON.stringify(variables);
  const [data, setData] = useState<TResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  // Answers to an older request (the user switched stacks meanwhile) are dropped.
  const latest = useRef(0);
  /** The request on its way, if any, and whether a write of this session's was shown since it left. */
  const pending = useRef(0);
  const writtenSince = useRef(false);

  const reload = useCallback(async (): Promise<void> => {
    const request = ++latest.current;
    pending.current = request;
    writtenSince.current = false;
    setLoading(true);
    try {
      const result = await api.request(document, JSON.parse(key) as TVariables);
      if (request !== latest.current) return;
      if (writtenSince.current) return await reload();
      setData((current) => (merge.current ? merge.current(current, result) : result));
      setError(null);
    } catch (thrown) {
      if (request !== latest.current) return;
      setError(thrown instanceof ApiError ? thrown : new ApiError(String(thrown), 'INTERNAL_SERVER_ERROR'));
    } finally {
      if (request === latest.current) {
        pending.current = 0;
        setLoading(false);
      }
    }
  }, [api, document, key]);

  useEffect(() => {
    setData(null);
    void reload();
  }, [reload]);

  // Back online: what was read before (or the error it ended in) may be stale.
  useEffect(() => connection.onBack(() => void reload()), [connection, reload]);

  const update = useCallback(
    (change: (current: TResult) => TResult, options: { afterWrite?: boolean } = {}) => {
      if (options.afterWrite && pending.current) writtenSince.current = true;
      setData((current) => (current === null ? current : change(current)));
    },
    [],
  );

  return { data, error, loading, reload, update };
}
