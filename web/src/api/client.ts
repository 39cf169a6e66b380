// GraphQL over HTTP for the page: a typed document and its variables in, the typed data out, ApiError otherwise.
import type { TypedDocumentString } from '../graphql/generated';
import type { ConnectionMonitor } from './connection';
import { ApiError, NETWORK_ERROR, toApiError, type ResponseError } from './errors';

export const GRAPHQL_PATH = '/graphql';

export class Api {
  constructor(
    private readonly token: string,
    /** Called when the server no longer accepts the token (revoked, deleted user). */
    private readonly onUnauthenticated: () => void = () => {},
    /** Told whether each request got an answer. */
    private readonly connection: ConnectionMonitor | null = null,
  ) {}

  async request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult> {
    let response: Response;
    try {
      response = await fetch(GRAPHQL_PATH, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          authorization: `Bearer ${this.token}`,
        },
        body: JSON.stringify({ query: document.toString(), variables }),
      });
    } catch {
      this.connection?.lost();
      throw new ApiError("Can't reach the server: check that it is running, then try again.", NETWORK_ERROR);
    }
    this.connection?.answered();
    let body: { data?: TResult | null; errors?: ResponseError[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new ApiError(`The server answered ${response.status} without a GraphQL response.`, NETWORK_ERROR);
    }
    if (body.errors?.length) {
      const error = toApiError(body.errors);
      if (error.code === 'UNAUTHENTICATED') this.onUnauthenticated();
      throw error;
    }
    if (!body.data) throw new ApiError('The server answered without data.', 'INTERNAL_SERVER_ERROR');
    return body.data;
  }
}
