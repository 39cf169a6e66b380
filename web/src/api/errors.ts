// The API's errors as the page handles them: a code (extensions.code) and, for BAD_USER_INPUT, the fields at fault.

interface FieldProblem {
  field: string;
  message: string;
}

/** One entry of a GraphQL response's errors, as this API writes them. */
export interface ResponseError {
  message: string;
  extensions?: { code?: unknown; field?: unknown; problems?: unknown };
}

export const NETWORK_ERROR = 'NETWORK_ERROR';

export class ApiError extends Error {
  constructor(
    message: string,
    /** extensions.code, e.g. BAD_USER_INPUT; NETWORK_ERROR when no answer came. */
    readonly code: string,
    /** Messages by input path, e.g. { "input.url": "must be an https URL" }. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** "input.url: must be an https URL" reads "must be an https URL" beside the field it names. */
function withoutFieldPrefix(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

function problemsOf(error: ResponseError): FieldProblem[] {
  const { field, problems } = error.extensions ?? {};
  if (Array.isArray(problems)) {
    return problems.filter(
      (problem): problem is FieldProblem =>
        typeof (problem as FieldProblem)?.field === 'string' &&
        typeof (problem as FieldProblem).message === 'string',
    );
  }
  return typeof field === 'string' ? [{ field, message: error.message }] : [];
}

export function toApiError(errors: readonly ResponseError[]): ApiError {
  const first = errors[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
  const fields: Record<string, string> = {};
  for (const error of errors) {
    for (const problem of problemsOf(error)) {
      fields[problem.field] ??= withoutFieldPrefix(problem.message, problem.field);
    }
  }
  return new ApiError(first?.message ?? 'The server answered with an error', code, fields);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
