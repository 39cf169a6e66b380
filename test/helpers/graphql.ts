// A small GraphQL-over-HTTP client for tests: typed documents in, { data, errors } out.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

const printed = new WeakMap<DocumentNode, string>();

function source(document: DocumentNode | string): string {
  if (typeof document === 'string') return document;
  let text = printed.get(document);
  if (!text) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

export async function graphqlRequest<TResult, TVariables>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables> | string,
  variables?: TVariables,
  token?: string | null,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TResult>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query: source(document), variables }),
  });
  const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLErrorShape[] };
  return { status: response.status, ...body };
}

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) {
    throw new Error(`expected data, got errors: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

/** The code of the first error of a response that must have failed. */
export function errorCode(response: GraphQLResponse<unknown>): string | undefined {
  if (!response.errors?.length)
    throw new Error(`expected an error, got data: ${JSON.stringify(response.data)}`);
  return response.errors[0].extensions?.code;
}
